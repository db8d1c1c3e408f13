package dev.sett.core;

import dev.sett.api.EnvironmentException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyLocation;
import dev.sett.api.RecordInfo;
import dev.sett.api.RepairReport;
import dev.sett.api.SegmentDump;
import dev.sett.api.SegmentVisitor;
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

  /**
   * Opens (creating if needed) the store in {@code dir} with default options.
   *
   * @param dir the store directory
   * @return the open store; close it when done
   * @see #open(Path, StoreOptions)
   */
  public static Store open(Path dir) {
    return open(dir, StoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @param dir the store directory
   * @param options how to open it ({@link StoreOptions#defaults()} for the defaults)
   * @return the open store; close it when done
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
    if (options.readOnly()) {
      return ReadOnlyStore.open(FileStorage.INSTANCE, dir, options);
    }
    return SettStore.open(FileStorage.INSTANCE, dir, options);
  }

  /**
   * Checks a store without changing a byte: the framing and CRC32C of every record of every segment
   * (whether or not a hint file would let an open skip it) and every hint file against its segment.
   * Runs beside a live writer (in this process or another) as a read-only handle does: it checks
   * the segments the writer has not compacted away, the newest up to its last whole record, and the
   * writer deletes none of them until it is done.
   *
   * @param dir the store directory
   * @return what was checked and every problem found (empty when the store is sound)
   */
  public static VerifyReport verify(Path dir) {
    if (dir == null) {
      throw new InvalidInputException("dir must not be null");
    }
    ChronicleSupport.ensureReady();
    Storage storage = FileStorage.INSTANCE;
    try {
      StoreDirectory.openUnlocked(storage, dir).close(); // validates: exists, is a store, format
      ReaderRegistry registry = new ReaderRegistry(dir);
      ReaderRegistry.Announcement announcement;
      try {
        announcement = registry.announce();
      } catch (java.io.IOException e) {
        // The registry cannot be written: verify under the shared lock, beside no writer.
        StoreDirectory lock = StoreDirectory.open(storage, dir, true);
        try {
          return new Verifier(new SegmentFiles(storage, dir, true)).run();
        } finally {
          lock.close();
        }
      }
      try (announcement) {
        ReaderRegistry.Listing listing = registry.listSteadily(storage, dir, announcement, java.util.List.of());
        return new Verifier(new SegmentFiles(storage, dir, true)).besideLiveWriter(StoreDirectory.writerRunning(dir))
            .run(listing.entries());
      }
    } catch (java.io.IOException e) {
      throw new dev.sett.api.StorageException("could not verify " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
  }

  /**
   * Reports the header and every record of one segment file ({@code NNNNNNNNNN.seg}) to
   * {@code visitor}, in file order, with the places where the framing is damaged; after damage it
   * resumes at the next sound record. Maps the file read-only and takes no lock, so it works on a
   * segment of a store that another process has open, and never changes a byte.
   *
   * @param file the segment file
   * @param maxValueBytes how many bytes of each value to copy into {@link RecordInfo#valuePrefix()}
   * @param visitor receives each record and each damaged place
   * @return the header's fields and how the walk ended
   * @throws dev.sett.api.StorageException if the file cannot be read
   */
  public static SegmentDump dumpSegment(Path file, int maxValueBytes, SegmentVisitor visitor) {
    if (file == null || visitor == null) {
      throw new InvalidInputException("file and visitor must not be null");
    }
    ChronicleSupport.ensureReady();
    ReaderRegistry.Announcement announcement = announceDump(file);
    try {
      return SegmentDumper.dump(FileStorage.INSTANCE, file, maxValueBytes, visitor);
    } catch (java.io.IOException e) {
      throw new dev.sett.api.StorageException("could not read " + file + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    } finally {
      if (announcement != null) {
        announcement.close();
      }
    }
  }

  /**
   * Tells a live writer that the segment is being read, so its compaction does not delete the file
   * meanwhile; null when the file is not a segment of a store, or the registry cannot be written
   * (the dump then goes on unannounced: it reads one file, and on Linux a mapping outlives the
   * file's deletion).
   */
  private static ReaderRegistry.Announcement announceDump(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    int id = abs.getFileName() == null ? -1 : SegmentFormat.idOf(abs.getFileName().toString(), SegmentFormat.SEGMENT_SUFFIX);
    if (dir == null || id <= 0 || !java.nio.file.Files.exists(dir.resolve(StoreDirectory.MARKER))) {
      return null;
    }
    try {
      ReaderRegistry.Announcement a = new ReaderRegistry(dir).announce();
      try {
        a.set(java.util.List.of(id));
      } catch (java.io.IOException | RuntimeException e) {
        a.close();
        throw e;
      }
      return a;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /**
   * Repairs the store in {@code dir}, which no other handle may have open: cuts a damaged tail,
   * copies the sound records of a segment damaged in the middle into a new file swapped in
   * atomically, rebuilds hint files that do not match their segment, and deletes leftover temporary
   * files. Every record it drops is listed in the report, which (unless nothing was changed) is also
   * written to {@code repair-<time>.txt} in {@code dir}. Afterwards the store opens and verifies.
   * With {@code dryRun} nothing is changed (the shared lock is taken instead of the exclusive one)
   * and the report says what would be done.
   *
   * @param dir the store directory
   * @param dryRun true to change nothing and report what would be done
   * @return what was done (or would be), and every record dropped
   * @throws dev.sett.api.StoreLockedException if another handle has the store open
   * @throws dev.sett.api.NotAStoreException if {@code dir} is not a Sett store
   * @throws dev.sett.api.UnsupportedFormatException if a newer Sett wrote it
   */
  public static RepairReport repair(Path dir, boolean dryRun) {
    if (dir == null) {
      throw new InvalidInputException("dir must not be null");
    }
    ChronicleSupport.ensureReady();
    try {
      return Repair.run(FileStorage.INSTANCE, dir, dryRun);
    } catch (java.io.IOException e) {
      throw new dev.sett.api.StorageException("could not repair " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
  }

  /**
   * Where the value of {@code key} visible now is stored in {@code store} (which must have been
   * opened by {@link #open}), with its checksum checked; null if the key is absent.
   *
   * @param store a store opened by {@link #open}
   * @param key the key
   * @return the segment and offset of the value's record, or null
   */
  public static KeyLocation locate(Store store, byte[] key) {
    if (store instanceof ReadOnlyStore r) {
      return r.locate(key);
    }
    if (!(store instanceof SettStore)) {
      throw new InvalidInputException("store must be one opened by Sett.open");
    }
    return ((SettStore) store).locate(key);
  }

  /**
   * Who has the store in {@code dir} open now: its writer's pid (asked of the kernel without taking
   * the lock, so a writer starting at that moment is never refused) and the read-only handles that
   * announced themselves, in any process. Reader files of processes that are gone are deleted on
   * the way. Reads a few small files; needs no JVM flags.
   *
   * @param dir the store directory
   * @return the activity, as of this call
   * @throws dev.sett.api.NotAStoreException if {@code dir} is not a store
   * @throws dev.sett.api.StorageException if the registry cannot be read
   */
  public static dev.sett.api.StoreActivity activity(Path dir) {
    if (dir == null) {
      throw new InvalidInputException("dir must not be null");
    }
    try {
      StoreDirectory.openUnlocked(FileStorage.INSTANCE, dir).close();
      ReaderRegistry registry = new ReaderRegistry(dir);
      java.util.List<dev.sett.api.StoreActivity.Reader> readers = new java.util.ArrayList<>();
      for (ReaderRegistry.Reader r : registry.liveReaders()) {
        readers.add(new dev.sett.api.StoreActivity.Reader(r.pid(), java.time.Instant.ofEpochMilli(r.openedMillis()),
            r.segments().size()));
      }
      return new dev.sett.api.StoreActivity(StoreDirectory.writerPid(dir), readers,
          new java.util.ArrayList<>(registry.readRetired().ids()));
    } catch (java.io.IOException e) {
      throw new dev.sett.api.StorageException("could not read who has " + dir + " open: " + e.getMessage(), e,
          false);
    }
  }

  /**
   * The JVM flags Sett needs on the running JDK, as they go on a {@code java} command line. They name
   * the module that needs them: {@code ALL-UNNAMED} when Chronicle Bytes is on the class path,
   * {@code chronicle.core} (and jffi's module for native access on JDK 24+) when it is on the module
   * path.
   *
   * @return the flags, space-separated
   */
  public static String requiredJvmFlags() {
    return ChronicleSupport.requiredFlags();
  }
}
