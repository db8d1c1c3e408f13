package dev.sett.core;

import dev.sett.api.StorageException;
import dev.sett.api.StoreLockedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The OS lock on a store directory's {@value StoreDirectory#LOCK} file: exclusive for a writer, shared
 * for read-only handles, so that one writer at most, and never a writer beside a reader, has the
 * store open, in this process or any other. A writer also records its process id in the file
 * ({@code pid 1234}) so that a refusal can name it.
 *
 * <p><b>Why not {@code FileChannel.tryLock}.</b> On Linux and the other POSIX systems the JDK's file
 * locks are classic {@code fcntl} record locks. They belong to the process, and the kernel drops
 * every one the process holds on a file as soon as the process closes <em>any</em> descriptor of that
 * file, whoever opened it: a refused second open, a read of the holder's pid, a backup copying the
 * directory, another class loader's copy of Sett. The JVM's own bookkeeping of its locks is keyed by
 * the file, so it refuses such a second lock, but it cannot stop the close that follows, and the
 * writer is then unlocked without knowing it; a second writer then overwrote synced writes
 * (issue 10).
 *
 * <p><b>Linux (x86-64, AArch64): open file description locks.</b> Each {@link #acquire} opens its own
 * descriptor of the lock file natively (through jnr-ffi, {@code O_CLOEXEC}) and locks the whole file
 * with {@code fcntl(F_OFD_SETLK)} (Linux 3.15 and later). Such a lock belongs to that open file
 * description: closing other descriptors of the file, whoever opened them, leaves it alone, and two
 * open file descriptions conflict even inside one process. So the kernel alone decides, in the same
 * way for a handle of this process (any class loader, any path to the directory: symlink, bind mount)
 * and of another one. OFD locks also conflict with classic {@code fcntl} locks, so a program that
 * locks the file through the JDK (an older Sett, the {@code sett demo} tool) is excluded too, and
 * Sett never closes a descriptor of the file while a classic lock of this process may be on it
 * (asked with {@code F_OFD_GETLK}, then {@code /proc/locks}; such a descriptor is unlocked and
 * parked for the life of the process instead), so it cannot unlock such a program either. See
 * {@link OfdLocks}.
 *
 * <p><b>Elsewhere: the JDK's lock, which Sett never drops itself.</b> Other systems, other
 * processors, a kernel without OFD locks, or a JVM where the native library cannot load, use
 * {@code FileChannel.tryLock}. The handles of one class loader share one channel per directory
 * (keyed by its real path) and coordinate in a map, since the JVM refuses a second lock on a file
 * even when both are shared. That channel is never closed while any lock may be on the file in this
 * process (a refused attempt keeps it for the next one; the last handle closes it only while holding
 * a probe lock, which shows the JVM holds no other), and the holder's pid is read through it. What
 * this mode cannot prevent, and the native one does: code outside Sett in this process that opens
 * and closes the lock file (a backup copying the whole directory, for one) silently unlocks the
 * store, and so can an older Sett in another class loader. See {@link JdkLocks}.
 *
 * <p><b>Lifetime and threading.</b> A lock is held from {@link #acquire} until {@link #close} (or the
 * end of the process: the kernel releases it with the last descriptor). {@link #acquire} may be called
 * from any thread, concurrently; {@link #close} is idempotent and may be called from any thread. The
 * only shared state is the fallback's channels (guarded by {@link JdkLocks}' monitor) and the parked
 * descriptors (guarded by their list). A lock is the process's, not the thread's: any thread of the
 * process may use the store it guards.
 */
final class DirectoryLock implements AutoCloseable {
  /** Forces the fallback (tests only: it exercises the JDK-lock mode on Linux). */
  static volatile boolean jdkLocksOnly = Boolean.getBoolean("sett.test.jdkLocks");

  private final Path dir;
  private final Held held;
  private boolean closed;

  private DirectoryLock(Path dir, Held held) {
    this.dir = dir;
    this.held = held;
  }

  /** How the lock is held; released exactly once. */
  interface Held {
    void release() throws IOException;
  }

  /**
   * Locks {@code dir}'s lock file (created if missing, unless it is a read-only open of a file that
   * exists but is not writable), shared or exclusive; a writer records its pid in it.
   *
   * @throws StoreLockedException if a conflicting lock is held, in this process or another
   * @throws IOException if the lock file cannot be opened, locked or written
   */
  static DirectoryLock acquire(Path dir, boolean shared) throws IOException {
    Path lockFile = dir.resolve(StoreDirectory.LOCK);
    OfdLocks lib = jdkLocksOnly ? null : OfdLocks.get();
    if (lib != null) {
      Held held = lib.lock(dir, lockFile, shared);
      if (held != null) {
        return new DirectoryLock(dir, held);
      }
      // null: this kernel has no OFD locks; OfdLocks.get() now answers null for good.
    }
    return new DirectoryLock(dir, JdkLocks.lock(dir, lockFile, shared));
  }

  /**
   * Who holds the lock, as recorded in the lock file ("pid 1234"), or "" if unknown. Safe to call
   * while this process holds the lock: it never costs anyone a lock.
   */
  static String holder(Path lockFile) {
    OfdLocks lib = jdkLocksOnly ? null : OfdLocks.get();
    try {
      return lib != null ? lib.holder(lockFile) : JdkLocks.holder(lockFile);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Whether a writer holds the lock, asked without taking it (taking it, even for an instant, could
   * refuse a writer that starts at that moment). With OFD locks the kernel answers; in the fallback
   * mode, which cannot ask, the answer is whether the process the file names still runs.
   */
  static boolean writerHolds(Path lockFile) {
    OfdLocks lib = jdkLocksOnly ? null : OfdLocks.get();
    try {
      if (lib != null) {
        return lib.writeLocked(lockFile);
      }
    } catch (IOException e) {
      return false; // no lock file: no writer ever opened the store
    }
    String holder = holder(lockFile);
    try {
      return holder.startsWith("pid ") && ReaderRegistry.alive(Long.parseLong(holder.substring(4).trim()), -1);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Which kind of lock {@link #acquire} takes in this class loader: {@code "ofd"} (Linux open file
   * description locks) or {@code "jdk"} (the fallback).
   */
  static String mechanism() {
    return !jdkLocksOnly && OfdLocks.get() != null ? "ofd" : "jdk";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      held.release();
    } catch (IOException e) {
      throw new StorageException("could not release the lock of " + dir, e, false);
    }
  }

  /** The refusal, naming the holder ("pid 1234", "read-only handles") where it is known. */
  static StoreLockedException locked(Path dir, boolean shared, String holder) {
    String who = holder;
    if (holder.equals("pid " + ProcessHandle.current().pid())) {
      who = "this process (" + holder + ")";
    }
    return new StoreLockedException(dir, dir + " is already open" + (who.isEmpty() ? "" : " by " + who)
        + (shared ? " for writing" : "") + "; close the other handle first"
        + (shared ? "" : ", or open this one with StoreOptions.builder().readOnly(true) if no writer"
            + " is running"));
  }

  /** "pid 1234\n", padded to a fixed width so that the file never needs truncating. */
  static byte[] pidRecord() {
    // A truncate costs a journal transaction (milliseconds on ext4), on every open.
    String pid = String.format("pid %-26d\n", ProcessHandle.current().pid());
    return pid.getBytes(StandardCharsets.UTF_8);
  }

  /** The holder recorded in the first {@code length} bytes of the lock file ("" if none). */
  static String parseHolder(byte[] bytes, int length) {
    return length <= 0 ? "" : new String(bytes, 0, length, StandardCharsets.UTF_8).trim();
  }
}
