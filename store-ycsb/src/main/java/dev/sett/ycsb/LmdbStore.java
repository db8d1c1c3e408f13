package dev.sett.ycsb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.DirectBufferProxy;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;

/**
 * An open lmdbjava environment and its one database, configured as store-bench's
 * {@code Peers.Lmdb} configures it: Agrona's {@link DirectBufferProxy} (values are zero-copy views
 * of the map, valid until their transaction ends), {@code MDB_NOTLS} (a read transaction's reader
 * slot belongs to the transaction, not the thread), and {@code MDB_NOSYNC} unless {@code sync} is
 * set: a commit is then in the page cache when it returns, the same guarantee as Sett's
 * {@code SyncMode.NONE}.
 *
 * <p><b>Lifetime.</b> From the constructor to {@link #close()}, which syncs the map to disk (so
 * that a closed environment is on disk, as a closed Sett store is) and closes it. Every
 * transaction must have ended before: ending one after its environment closed crashes the JVM.
 * <b>Threading:</b> {@link #env()} and {@link #db()} may be used from any thread while it is open;
 * open and close once (see {@link SharedStores}).
 */
final class LmdbStore implements AutoCloseable {
  /**
   * The default map size: 64 GiB. It is address space, not disk or memory: without
   * {@code MDB_WRITEMAP} the file grows only as pages are used. A million 1 KB YCSB records take
   * about 1.5 GB, so the default leaves room for runs ten times that size and for the pages that
   * copy-on-write keeps while readers hold old ones.
   */
  static final long DEFAULT_MAP_SIZE = 64L << 30;
  /**
   * Reader slots: each binding instance (one per YCSB client thread) holds one read transaction
   * for its whole life, so this bounds the number of threads. A slot is 64 bytes of the lock file.
   */
  static final int MAX_READERS = 1024;

  private final Env<DirectBuffer> env;
  private final Dbi<DirectBuffer> db;

  /**
   * Opens (creating if missing) the environment in {@code dir}.
   *
   * @param dir an existing directory
   * @param mapSize the map size in bytes: the most the database can hold
   * @param sync whether every commit syncs before it returns
   */
  LmdbStore(Path dir, long mapSize, boolean sync) {
    List<EnvFlags> flags = new ArrayList<>(List.of(EnvFlags.MDB_NOTLS));
    if (!sync) {
      flags.add(EnvFlags.MDB_NOSYNC);
    }
    env = Env.create(DirectBufferProxy.PROXY_DB)
        .setMapSize(mapSize)
        .setMaxDbs(1)
        .setMaxReaders(MAX_READERS)
        .open(dir.toFile(), flags.toArray(new EnvFlags[0]));
    try {
      db = env.openDbi("ycsb", DbiFlags.MDB_CREATE);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  /** {@return the environment} */
  Env<DirectBuffer> env() {
    return env;
  }

  /** {@return the database, keys in unsigned byte order} */
  Dbi<DirectBuffer> db() {
    return db;
  }

  @Override
  public void close() {
    try {
      env.sync(true);
    } finally {
      db.close();
      env.close();
    }
  }
}
