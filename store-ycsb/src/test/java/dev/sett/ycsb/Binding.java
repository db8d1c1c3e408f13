package dev.sett.ycsb;

import dev.sett.core.Sett;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import site.ycsb.DBException;

/** The three bindings, for tests that run the same checks on each. */
enum Binding {
  SETT(SettYcsbDb.class, SettYcsbDb::new, SettYcsbDb.DIR, SettYcsbDb.SYNC, "ALWAYS", SettYcsbDb::sharers) {
    @Override
    void openDirectlyAndClose(Path dir) {
      Sett.open(dir).close();
    }
  },
  ROCKSDB(RocksDbYcsbDb.class, RocksDbYcsbDb::new, RocksDbYcsbDb.DIR, RocksDbYcsbDb.SYNC, "true", RocksDbYcsbDb::sharers) {
    @Override
    void openDirectlyAndClose(Path dir) throws RocksDBException {
      RocksDB.open(dir.toString()).closeE();
    }
  },
  /** LMDB takes no lock a second open in the same process would run into. */
  LMDB(LmdbYcsbDb.class, LmdbYcsbDb::new, LmdbYcsbDb.DIR, LmdbYcsbDb.SYNC, "true", LmdbYcsbDb::sharers) {
    @Override
    boolean locksItsDirectory() {
      return false;
    }

    @Override
    void openDirectlyAndClose(Path dir) {
      throw new UnsupportedOperationException("LMDB does not lock its directory within a process");
    }
  };

  final Class<? extends StoreYcsbDb> type;
  private final Supplier<StoreYcsbDb> factory;
  final String dirProperty;
  final String syncProperty;
  /** The value of {@link #syncProperty} that makes every write durable. */
  final String syncValue;
  private final ToIntFunction<Path> sharers;

  Binding(Class<? extends StoreYcsbDb> type, Supplier<StoreYcsbDb> factory, String dirProperty,
      String syncProperty, String syncValue, ToIntFunction<Path> sharers) {
    this.type = type;
    this.factory = factory;
    this.dirProperty = dirProperty;
    this.syncProperty = syncProperty;
    this.syncValue = syncValue;
    this.sharers = sharers;
  }

  /** A new instance, initialised as YCSB would, on {@code dir}. */
  StoreYcsbDb open(Path dir) throws DBException {
    Properties p = new Properties();
    p.setProperty(dirProperty, dir.toString());
    return open(p);
  }

  /** A new instance, initialised as YCSB would, with {@code properties}. */
  StoreYcsbDb open(Properties properties) throws DBException {
    StoreYcsbDb db = factory.get();
    db.setProperties(properties);
    db.init();
    return db;
  }

  /** How many instances share the store in {@code dir}. */
  int sharers(Path dir) {
    return sharers.applyAsInt(dir);
  }

  /** Whether opening the store directly fails while the binding has it open (a lock). */
  boolean locksItsDirectory() {
    return true;
  }

  /** Opens the store in {@code dir} with its own API, without the binding, and closes it. */
  abstract void openDirectlyAndClose(Path dir) throws Exception;
}
