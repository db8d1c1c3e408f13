package dev.sett.core;

import dev.sett.api.StorageException;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link SettStore} comes to be: the directory validated and locked (or, for a reader
 * generation, only validated), the files recovered into a segment table and an index, the writer's
 * registry of readers reset, background work started, the MBean registered; and on any failure,
 * everything opened so far released again, so that a failed open leaves no mapping, lock or MBean.
 *
 * <p>Stateless; thread-safe.
 */
final class StoreOpening {
  private static final Logger LOG = LoggerFactory.getLogger(SettStore.class);

  private StoreOpening() {
  }

  /**
   * Opens a store holding the directory's lock: exclusive for a writer, shared when
   * {@code options} say read-only (a handle that excludes writers; {@link Sett#open} gives
   * read-only callers a {@link ReadOnlyStore} instead, which does not).
   */
  static SettStore open(Storage storage, Path dir, StoreOptions options) {
    StoreDirectory directory;
    try {
      directory = StoreDirectory.open(storage, dir, options.readOnly());
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    return open(storage, dir, options, directory, null);
  }

  /**
   * Opens one view of a store for a {@link ReadOnlyStore}: {@code directory} was validated (and
   * holds no lock, or a shared one the caller owns), and only the segments {@code entries} lists
   * are read, the ones the caller announced to the writer.
   */
  static SettStore openReader(Storage storage, Path dir, StoreOptions options, StoreEntries entries) {
    StoreDirectory directory;
    try {
      directory = StoreDirectory.openUnlocked(storage, dir);
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    return open(storage, dir, options, directory, entries);
  }

  private static SettStore open(Storage storage, Path dir, StoreOptions options, StoreDirectory directory,
      StoreEntries entries) {
    SegmentTable table = new SegmentTable();
    ReadEpochs epochs = new ReadEpochs();
    DeferredUnmaps unmaps = new DeferredUnmaps(epochs, SettStore.viewMappingBudget(options));
    try {
      SegmentFiles files = new SegmentFiles(storage, dir, options.readOnly());
      KeyIndex index = new KeyIndex(table, 1024);
      ReaderRegistry readers = new ReaderRegistry(dir);
      RetiredSegments retired = new RetiredSegments(files, readers);
      Recovery.Result recovered = new Recovery(files, options, table, index, disposer(retired, unmaps))
          .besideLiveWriter(entries != null && StoreDirectory.writerRunning(dir)).run(entries);
      if (!options.readOnly()) {
        // Every file the directory holds is this writer's now, retired by an earlier one or not.
        readers.publish(java.util.List.of());
      }
      SettStore store = new SettStore(dir, options, directory, files, table, index, recovered, retired,
          epochs, unmaps);
      if (options.autoCompaction() && !options.readOnly()) {
        store.startBackground();
      }
      for (String action : recovered.actions) {
        LOG.info("Opened {}: {}", dir, action);
      }
      // Last: nothing after it can fail, so a failed open never leaves an MBean behind.
      if (options.jmx()) {
        store.registerMBean();
      }
      return store;
    } catch (IOException e) {
      release(table, unmaps, directory);
      throw new StorageException("could not open store " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    } catch (RuntimeException | Error e) {
      release(table, unmaps, directory);
      throw e;
    }
  }

  private static void release(SegmentTable table, DeferredUnmaps unmaps, StoreDirectory directory) {
    for (Segment s : table.all()) {
      table.remove(s.id());
      s.retire(false);
    }
    unmaps.drain();
    directory.close();
  }

  /**
   * A segment nothing references any more is unmapped once no read can still be inside it, and a
   * retired one then goes to the ordered deleter.
   */
  static Segment.Disposer disposer(RetiredSegments retired, DeferredUnmaps unmaps) {
    return segment -> unmaps.defer(segment.size(), () -> {
      boolean viewMapped = segment.region().countRetainedViewBytes(unmaps.viewBytes());
      segment.unmap();
      if (viewMapped) {
        unmaps.viewMappingReleased();
      }
      if (segment.deleteOnDispose()) {
        retired.unreachable(segment.id());
      }
    });
  }

}
