package dev.sett.core;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserves a new file's blocks without writing them, through {@code fallocate(2)} (jnr-ffi, see
 * {@link LinuxLibC}), where the kernel and the file system can; elsewhere the caller writes zeros
 * as before.
 *
 * <p><b>Why.</b> A segment is created at its full size before anything is written through its
 * mapping, so that a full disk is met when the file is created (an {@link IOException}), never as
 * a fault in a write through the mapping. Writing the zeros cost a 64 MiB segment 64 MiB of copies
 * into the page cache and as much again of writeback (perf: a third of the sealing thread's CPU in
 * {@code copy_folio_from_iter_atomic} during a 1M-record restore), all of it competing with the
 * writer for the cores. Reserved blocks cost neither, read as zeros, and need no allocation when
 * the mapping writes them: the guarantee is the same.
 *
 * <p>Mode 0 of {@code fallocate} allocates and extends the file; a file system without it (some
 * network and FUSE file systems) answers {@code EOPNOTSUPP}, and then this class returns false
 * and is not asked again in this JVM. Thread-safe; stateless apart from the loaded library.
 */
final class FileSpace {
  private static final Logger LOG = LoggerFactory.getLogger(FileSpace.class);
  private static final int O_WRONLY = 1;
  private static final int O_CLOEXEC = 02000000;
  private static final int EINTR = 4;
  private static final int EOPNOTSUPP = 95;

  /** The C library calls this class makes; public only because jnr-ffi implements it. */
  public interface LibC {
    @SaveError
    int open(@In byte[] path, int flags, int mode);

    @SaveError
    int fallocate(int fd, int mode, long offset, long length);

    @SaveError
    int close(int fd);

    String strerror(int errno);
  }

  /** Disabled where a file system answered EOPNOTSUPP: zeros from then on. */
  private static final LinuxLibC.Binding<LibC> LIBC =
      new LinuxLibC.Binding<>(LibC.class, "new segments are filled with zeros");

  private FileSpace() {
  }

  /**
   * Reserves {@code [0, size)} of {@code file}, which exists, extending it to {@code size}; returns
   * false, having changed nothing, where that cannot be done this way (the caller then writes
   * zeros). Throws what the call met otherwise, a full disk included ("No space left on device").
   */
  static boolean reserve(Path file, long size) throws IOException {
    LibC c = LIBC.get();
    if (c == null) {
      return false;
    }
    jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(c);
    byte[] name = file.toString().getBytes(pathCharset());
    byte[] path = new byte[name.length + 1]; // NUL-terminated
    System.arraycopy(name, 0, path, 0, name.length);
    int fd;
    do {
      fd = c.open(path, O_WRONLY | O_CLOEXEC, 0);
    } while (fd < 0 && runtime.getLastError() == EINTR);
    if (fd < 0) {
      throw error(c, file, "open", runtime.getLastError());
    }
    try {
      int rc;
      do {
        rc = c.fallocate(fd, 0, 0, size);
      } while (rc != 0 && runtime.getLastError() == EINTR);
      if (rc == 0) {
        return true;
      }
      int errno = runtime.getLastError();
      if (errno == EOPNOTSUPP) {
        LIBC.disable();
        LOG.debug("fallocate is not supported where {} lives; new segments are filled with zeros", file);
        return false;
      }
      throw error(c, file, "fallocate", errno);
    } finally {
      // Segment files carry no lock of this process (only the LOCK file does), so closing this
      // descriptor releases nothing but itself.
      c.close(fd);
    }
  }

  /**
   * Tests only: with {@code false}, {@link #reserve} answers false as on a platform without
   * {@code fallocate}, so that the zero-filling path can be tested here; {@code true} asks again.
   */
  static void usableForTests(boolean usable) {
    if (usable) {
      LIBC.enableForTests();
    } else {
      LIBC.disable();
    }
  }

  private static IOException error(LibC c, Path file, String what, int errno) {
    return new FileSystemException(file.toString(), null, what + ": " + c.strerror(errno));
  }

  private static Charset pathCharset() {
    String jnu = System.getProperty("sun.jnu.encoding");
    return jnu != null && Charset.isSupported(jnu) ? Charset.forName(jnu) : Charset.defaultCharset();
  }
}
