package dev.sett.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import site.ycsb.DBException;

/**
 * The stores one binding has open in this JVM, one per directory, shared by reference count. YCSB
 * makes one binding object per client thread and calls its {@code init()} and {@code cleanup()}
 * from that thread, but a store can be opened only once per directory (each of the three locks it
 * or must not be mapped twice), so the first {@link #acquire} opens it, later ones share it, and
 * the {@link Lease#release} that drops the count to zero closes it: the same scheme as YCSB's own
 * RocksDB binding.
 *
 * <p>Thread-safe: acquire and release are serialised (opening happens under the lock, so threads
 * that start together wait for the one that opens). A store shared this way keeps the options of
 * the acquire that opened it.
 *
 * @param <S> the open store
 */
final class SharedStores<S extends AutoCloseable> {

  /**
   * Opens a store in a directory that exists.
   *
   * @param <S> the open store
   */
  @FunctionalInterface
  interface Opener<S> {
    /**
     * Opens the store.
     *
     * @param dir the directory, absolute and real (symbolic links resolved)
     * @return the open store
     * @throws Exception whatever the store throws; it becomes the cause of a {@link DBException}
     */
    S open(Path dir) throws Exception;
  }

  /**
   * One holder's share of a store, from {@link #acquire} to {@link #release}. Used by the thread
   * that acquired it.
   *
   * @param <S> the open store
   */
  static final class Lease<S extends AutoCloseable> {
    private final SharedStores<S> owner;
    private final Path dir;
    private final S store;
    private boolean released;

    private Lease(SharedStores<S> owner, Path dir, S store) {
      this.owner = owner;
      this.dir = dir;
      this.store = store;
    }

    /** {@return the shared store; do not close it} */
    S store() {
      return store;
    }

    /**
     * Gives the share back; the last one closes the store. Idempotent.
     *
     * @throws DBException if closing the store failed
     */
    void release() throws DBException {
      if (!released) {
        released = true;
        owner.release(dir);
      }
    }
  }

  private static final class Entry<S> {
    final S store;
    int references;

    Entry(S store) {
      this.store = store;
    }
  }

  private final String storeName;
  private final Map<Path, Entry<S>> open = new HashMap<>();

  /**
   * An empty registry.
   *
   * @param storeName the store's name for messages, such as {@code "RocksDB"}
   */
  SharedStores(String storeName) {
    this.storeName = storeName;
  }

  /**
   * A share of the store in {@code dir}, opening it (and creating the directory) if no share is
   * held.
   *
   * @param dir the store's directory
   * @param opener opens the store if it is not open yet
   * @return the lease; release it when done
   * @throws DBException if the directory cannot be created or the store cannot be opened
   */
  synchronized Lease<S> acquire(Path dir, Opener<S> opener) throws DBException {
    Path key = realDirectory(dir);
    Entry<S> entry = open.get(key);
    if (entry == null) {
      S store;
      try {
        store = opener.open(key);
      } catch (Exception e) {
        throw new DBException("cannot open " + storeName + " in " + key + ": " + e, e);
      }
      entry = new Entry<>(store);
      open.put(key, entry);
    }
    entry.references++;
    return new Lease<>(this, key, entry.store);
  }

  /**
   * How many leases on the store in {@code dir} are held.
   *
   * @param dir the store's directory
   * @return the count; 0 when the store is not open in this JVM
   */
  synchronized int references(Path dir) {
    try {
      Entry<S> entry = open.get(dir.toRealPath());
      return entry == null ? 0 : entry.references;
    } catch (IOException e) {
      return 0; // no such directory: nothing can be open in it
    }
  }

  private synchronized void release(Path key) throws DBException {
    Entry<S> entry = open.get(key);
    if (entry == null) {
      throw new IllegalStateException(storeName + " in " + key + " released more often than acquired");
    }
    if (--entry.references > 0) {
      return;
    }
    open.remove(key);
    try {
      entry.store.close();
    } catch (Exception e) {
      throw new DBException("cannot close " + storeName + " in " + key + ": " + e, e);
    }
  }

  private Path realDirectory(Path dir) throws DBException {
    try {
      return Files.createDirectories(dir).toRealPath();
    } catch (IOException e) {
      throw new DBException("cannot create the " + storeName + " directory " + dir + ": " + e, e);
    }
  }
}
