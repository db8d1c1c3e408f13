package dev.sett.core;

import dev.sett.api.EnvironmentException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.nio.file.Path;

/**
 * Opens Sett stores. The only public class of the engine.
 *
 * <pre>{@code
 * try (Store store = Sett.open(Path.of("data"))) {
 *   store.put(key, value);
 *   try (Snapshot s = store.snapshot()) {
 *     ByteView v = s.get(key);   // zero-copy, valid until s closes
 *   }
 * }
 * }</pre>
 *
 * <p>The JVM needs the flags listed in the README (section "JVM flags"); without them
 * {@link #open} throws {@link EnvironmentException} naming them. Stateless and thread-safe.
 */
public final class Sett {
  private Sett() {
  }

  /** Opens (creating if needed) the store in {@code dir} with default options. */
  public static Store open(Path dir) {
    return open(dir, StoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @throws dev.sett.api.StoreLockedException if another handle has it open for writing
   * @throws dev.sett.api.NotAStoreException if the directory holds files that are not a Sett store
   * @throws dev.sett.api.UnsupportedFormatException if a newer Sett wrote it
   * @throws dev.sett.api.CorruptionException if recovery found damage beyond a torn tail
   * @throws EnvironmentException if the JVM flags Sett needs are missing
   */
  public static Store open(Path dir, StoreOptions options) {
    if (dir == null) {
      throw new InvalidInputException("dir must not be null");
    }
    if (options == null) {
      throw new InvalidInputException("options must not be null; use StoreOptions.defaults()");
    }
    ChronicleSupport.ensureReady();
    return SettStore.open(FileStorage.INSTANCE, dir, options);
  }

  /**
   * Checks a store without changing a byte: the framing and CRC32C of every record of every segment
   * (whether or not a hint file would let an open skip it) and every hint file against its segment.
   * Takes the directory's shared lock, so it fails with {@link dev.sett.api.StoreLockedException}
   * while a writer has the store open.
   *
   * @return what was checked and every problem found (empty when the store is sound)
   */
  public static VerifyReport verify(Path dir) {
    if (dir == null) {
      throw new InvalidInputException("dir must not be null");
    }
    ChronicleSupport.ensureReady();
    try {
      StoreDirectory lock = StoreDirectory.open(FileStorage.INSTANCE, dir, true);
      try {
        return new Verifier(new SegmentFiles(FileStorage.INSTANCE, dir, true)).run();
      } finally {
        lock.close();
      }
    } catch (java.io.IOException e) {
      throw new dev.sett.api.StorageException("could not verify " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
  }

  /** The JVM flags Sett needs on the running JDK, as they go on a {@code java} command line. */
  public static String requiredJvmFlags() {
    return ChronicleSupport.requiredFlags();
  }
}
