package dev.sett.core;

import java.nio.ByteOrder;
import java.util.Locale;
import jnr.ffi.LibraryLoader;

/**
 * Where Sett's few direct C library calls ({@link OfdLocks}, {@link PageTables}) may be made, and
 * how their jnr-ffi bindings are loaded. Their constants and structure layouts are written for
 * Linux on x86-64 and AArch64 (little-endian, LP64); elsewhere the callers fall back to the JDK.
 * Stateless.
 */
final class LinuxLibC {
  private LinuxLibC() {
  }

  /** Whether this JVM runs on an ABI the callers' constants are written for. */
  static boolean supported() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    boolean abi = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
    return os.startsWith("linux") && abi && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  /**
   * A binding of {@code type}'s functions in the C library, every symbol resolved now: a missing
   * one fails here ({@link LinkageError} or a {@link RuntimeException}), never at a later call.
   */
  static <T> T load(Class<T> type) {
    return LibraryLoader.create(type).failImmediately().load("c");
  }
}
