package dev.sett.core;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/**
 * {@code open}, {@code flock} and {@code close} of the C library, through jnr-ffi, for
 * {@link DirectoryLock}. Loaded once; {@link #get()} is null where it is not available.
 *
 * <p>Thread-safe (stateless).
 */
final class NativeFlock {
  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;
  private static final int LOCK_SH = 1;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;

  /** The C functions used; errno is read through jnr's runtime. */
  public interface LibC {
    int open(String path, int flags);

    int flock(int fd, int operation);

    int close(int fd);
  }

  private static final NativeFlock INSTANCE = load();

  private final LibC libc;
  private final jnr.ffi.Runtime runtime;

  private NativeFlock(LibC libc) {
    this.libc = libc;
    this.runtime = jnr.ffi.Runtime.getRuntime(libc);
  }

  private static NativeFlock load() {
    try {
      Platform.OS os = Platform.getNativePlatform().getOS();
      if (os != Platform.OS.LINUX && os != Platform.OS.DARWIN) {
        return null;
      }
      LibC libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
      return new NativeFlock(libc);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** The C library's flock, or null where it cannot be used (then the JDK's lock is the fallback). */
  static NativeFlock get() {
    return INSTANCE;
  }

  int open(Path file, boolean readOnly) throws IOException {
    int fd = libc.open(file.toString(), readOnly ? O_RDONLY : O_RDWR);
    if (fd < 0) {
      throw new IOException("could not open " + file + " to lock it (errno " + runtime.getLastError() + ")");
    }
    return fd;
  }

  /** True if the lock was taken; false if another holder's lock conflicts. */
  boolean tryLock(int fd, boolean shared) throws IOException {
    if (libc.flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0) {
      return true;
    }
    int errno = runtime.getLastError();
    // EWOULDBLOCK is 11 on Linux and 35 on macOS: the lock is held by someone else.
    if (errno == 11 || errno == 35) {
      return false;
    }
    close(fd);
    throw new IOException("flock failed (errno " + errno + ")");
  }

  void close(int fd) {
    libc.close(fd);
  }
}
