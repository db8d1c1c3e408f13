package dev.sett.core;

import dev.sett.core.DirectoryLock.Held;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DirectoryLock}'s lock on Linux (x86-64, AArch64): open file description locks, through
 * jnr-ffi. Each lock has a descriptor of its own, opened natively ({@code O_CLOEXEC}), locked over
 * the whole file with {@code fcntl(F_OFD_SETLK)} and closed by the release; no descriptor is ever
 * closed while a classic lock of this process is on the file (see {@code closeOrPark}).
 */
final class OfdLocks {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);

  // <asm-generic/fcntl.h> and <asm-generic/errno-base.h>, the same on x86-64 and AArch64.
  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;
  private static final int O_CREAT = 0100;
  private static final int O_CLOEXEC = 02000000;
  private static final int F_OFD_GETLK = 36;
  private static final int F_OFD_SETLK = 37;
  private static final short F_RDLCK = 0;
  private static final short F_WRLCK = 1;
  private static final short F_UNLCK = 2;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;
  private static final int EACCES = 13;
  private static final int EINVAL = 22;
  /** struct flock on LP64 Linux: short l_type, l_whence; off_t l_start, l_len; pid_t l_pid (at 24). */
  private static final int FLOCK_SIZE = 32;

  /** The C library calls this class makes; public only because jnr-ffi implements it. */
  public interface LibC {
    @SaveError
    int open(@In byte[] path, int flags, int mode);

    @SaveError
    int fcntl(int fd, int cmd, @In @Out byte[] flock);

    @SaveError
    long pread(int fd, @Out byte[] buffer, long count, long offset);

    @SaveError
    long pwrite(int fd, @In byte[] buffer, long count, long offset);

    @SaveError
    int ftruncate(int fd, long length);

    @SaveError
    int close(int fd);

    String strerror(int errno);
  }

  private static volatile OfdLocks instance;
  private static volatile boolean unavailable;

  /**
   * Descriptors Sett may not close: their closing would drop a classic lock that this process
   * holds on the file (see {@link DirectoryLock}). They hold no lock of their own.
   */
  private static final List<Integer> PARKED = new ArrayList<>();

  private final LibC libc;
  private final jnr.ffi.Runtime runtime;
  private final Charset pathCharset;

  private OfdLocks(LibC libc) {
    this.libc = libc;
    this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    String jnu = System.getProperty("sun.jnu.encoding");
    this.pathCharset = jnu != null && Charset.isSupported(jnu)
        ? Charset.forName(jnu) : Charset.defaultCharset();
  }

  /** The OFD mode, or null where it is not available (then the JDK's locks are used). */
  static OfdLocks get() {
    OfdLocks locks = instance;
    if (locks != null || unavailable) {
      return locks;
    }
    synchronized (OfdLocks.class) {
      if (instance == null && !unavailable) {
        if (!LinuxLibC.supported()) {
          unavailable = true;
          return null;
        }
        try {
          instance = new OfdLocks(LinuxLibC.load(LibC.class));
        } catch (LinkageError | RuntimeException e) {
          unavailable = true;
          LOG.warn("Native file locks are unavailable ({}); store directories are locked with the JDK's"
              + " file locks, which code that closes a descriptor of a LOCK file can release",
              e.toString());
        }
      }
      return instance;
    }
  }

  /** Locks; null if this kernel has no OFD locks (and then never tries again). */
  Held lock(Path dir, Path lockFile, boolean shared) throws IOException {
    boolean readOnlyFile = shared && Files.exists(lockFile) && !Files.isWritable(lockFile);
    int fd = open(lockFile, readOnlyFile ? O_RDONLY : O_RDWR | O_CREAT);
    try {
      if (fcntl(fd, F_OFD_SETLK, flock(shared ? F_RDLCK : F_WRLCK)) != 0) {
        int errno = runtime.getLastError();
        if (errno == EINVAL) {
          LOG.warn("This kernel has no open file description locks (Linux 3.15 and later have them);"
              + " store directories are locked with the JDK's file locks, which code that closes a"
              + " descriptor of a LOCK file can release");
          unavailable = true;
          instance = null;
          park(fd); // whether a classic lock of this process is on the file cannot be asked here
          return null;
        }
        if (errno != EAGAIN && errno != EACCES) {
          throw error(lockFile, "lock", errno);
        }
        String holder = holder(fd);
        byte[] conflict = flock(F_WRLCK);
        if (!shared && fcntl(fd, F_OFD_GETLK, conflict) == 0
            && ByteBuffer.wrap(conflict).order(ByteOrder.nativeOrder()).getShort(0) == F_RDLCK) {
          holder = "read-only handles"; // a reader excludes a writer, so none is running
        }
        throw DirectoryLock.locked(dir, shared, holder);
      }
      if (!shared) {
        byte[] pid = DirectoryLock.pidRecord();
        if (libc.pwrite(fd, pid, pid.length, 0) != pid.length) {
          throw error(lockFile, "write", runtime.getLastError());
        }
        if (Files.size(lockFile) > pid.length && libc.ftruncate(fd, pid.length) != 0) {
          throw error(lockFile, "truncate", runtime.getLastError());
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      try {
        closeOrPark(fd, lockFile);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return () -> closeOrPark(fd, lockFile);
  }

  /**
   * Whether a write lock (a writer's) is on the file, asked without taking any: {@code F_OFD_GETLK}
   * with a read-lock probe conflicts with write locks only, OFD or classic, of any process.
   */
  boolean writeLocked(Path lockFile) throws IOException {
    int fd = open(lockFile, O_RDONLY);
    try {
      byte[] probe = flock(F_RDLCK);
      if (fcntl(fd, F_OFD_GETLK, probe) != 0) {
        throw error(lockFile, "fcntl(F_OFD_GETLK)", runtime.getLastError());
      }
      return ByteBuffer.wrap(probe).order(ByteOrder.nativeOrder()).getShort(0) != F_UNLCK;
    } finally {
      closeOrPark(fd, lockFile);
    }
  }

  String holder(Path lockFile) throws IOException {
    int fd = open(lockFile, O_RDONLY);
    try {
      return holder(fd);
    } finally {
      closeOrPark(fd, lockFile);
    }
  }

  private String holder(int fd) {
    byte[] buffer = new byte[64];
    long n = libc.pread(fd, buffer, buffer.length, 0);
    return DirectoryLock.parseHolder(buffer, (int) n);
  }

  /**
   * Closes {@code fd}, and with it the OFD lock it may hold, unless a classic lock of this process
   * is on the file: the close would drop that one too. Then it only unlocks the descriptor and
   * parks it.
   */
  private void closeOrPark(int fd, Path lockFile) throws IOException {
    if (classicLockOfThisProcess(fd, lockFile)) {
      fcntl(fd, F_OFD_SETLK, flock(F_UNLCK));
      park(fd);
      return;
    }
    if (libc.close(fd) != 0) {
      int errno = runtime.getLastError();
      if (errno != EINTR) { // Linux frees the descriptor even then
        throw error(lockFile, "close", errno);
      }
    }
  }

  /** Whether this process may hold a classic lock on the file; true when it cannot tell. */
  private boolean classicLockOfThisProcess(int fd, Path lockFile) {
    byte[] probe = flock(F_WRLCK);
    if (fcntl(fd, F_OFD_GETLK, probe) != 0) {
      return true;
    }
    ByteBuffer conflict = ByteBuffer.wrap(probe).order(ByteOrder.nativeOrder());
    if (conflict.getShort(0) == F_UNLCK) {
      return false; // no lock on the file but this descriptor's own
    }
    long self = ProcessHandle.current().pid();
    if (conflict.getInt(24) == self) {
      return true;
    }
    // F_OFD_GETLK names one conflicting lock, which may hide others; /proc/locks lists them all:
    // "1: POSIX  ADVISORY  WRITE 1234 fe:00:2147218 0 EOF" (OFD locks say OFDLCK, waiters "->").
    try {
      String ino = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
        if (line.startsWith("ino:")) {
          ino = line.substring(4).trim();
        }
      }
      if (ino == null) {
        ino = String.valueOf(Files.getAttribute(lockFile, "unix:ino"));
      }
      for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 6 && f[1].equals("POSIX") && f[4].equals(Long.toString(self))
            && f[5].endsWith(":" + ino)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private static void park(int fd) {
    synchronized (PARKED) {
      PARKED.add(fd);
    }
  }

  private int open(Path file, int flags) throws IOException {
    byte[] name = file.toString().getBytes(pathCharset);
    byte[] path = new byte[name.length + 1]; // NUL-terminated
    System.arraycopy(name, 0, path, 0, name.length);
    int fd;
    do {
      fd = libc.open(path, flags | O_CLOEXEC, 0666);
    } while (fd < 0 && runtime.getLastError() == EINTR);
    if (fd < 0) {
      throw error(file, "open", runtime.getLastError());
    }
    return fd;
  }

  private int fcntl(int fd, int cmd, byte[] flock) {
    int rc;
    do {
      rc = libc.fcntl(fd, cmd, flock);
    } while (rc != 0 && runtime.getLastError() == EINTR);
    return rc;
  }

  /** A struct flock over the whole file (l_start 0, l_len 0: to the end, however far it grows). */
  private static byte[] flock(short type) {
    byte[] b = new byte[FLOCK_SIZE];
    ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putShort(0, type); // l_whence SEEK_SET = 0
    return b;
  }

  private IOException error(Path file, String what, int errno) {
    String reason = libc.strerror(errno);
    switch (errno) {
      case ENOENT:
        return new NoSuchFileException(file.toString(), null, reason);
      case EACCES:
      case EPERM:
        return new AccessDeniedException(file.toString(), null, reason);
      default:
        return new FileSystemException(file.toString(), null, what + ": " + reason);
    }
  }
}
