package dev.sett.core;

import dev.sett.api.NotAStoreException;
import dev.sett.api.RepairReport;
import dev.sett.api.StoreOptions;
import dev.sett.api.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Sett.repair}: brings a damaged store directory back to one that opens and verifies, and
 * says exactly what that cost. Per segment (see {@link SegmentRepair}): a damaged tail is cut
 * (zeroed) in place; damage with sound records after it has the good records copied into a new file
 * that replaces the segment atomically; a damaged header is rebuilt from the file's name and length;
 * a hint file that no longer matches its segment is rebuilt (sealed segments) or deleted (the newest).
 * Leftover temporary files, hint files without a segment and segment files that are all zeros are
 * deleted. Every record dropped is listed, with its keys where they can be read, in the returned
 * report and in a text file {@code repair-<time>.txt} in the store directory (the engine ignores
 * files with other names than its own).
 *
 * <p>Holds the directory's exclusive lock (shared for a dry run, which writes nothing), so it never
 * runs beside a writer. Single-threaded.
 */
final class Repair {
  static final String REPORT_PREFIX = "repair-";
  static final String REPORT_SUFFIX = ".txt";

  private final Storage storage;
  private final Path dir;
  private final boolean dryRun;
  final List<RepairReport.Action> actions = new ArrayList<>();
  final List<RepairReport.Dropped> dropped = new ArrayList<>();

  private Repair(Storage storage, Path dir, boolean dryRun) {
    this.storage = storage;
    this.dir = dir;
    this.dryRun = dryRun;
  }

  static RepairReport run(Storage storage, Path dir, boolean dryRun) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NotAStoreException(dir, dir + " is not a directory, so there is no store to repair");
    }
    if (!storage.exists(dir.resolve(StoreDirectory.MARKER))) {
      throw new NotAStoreException(dir, dir + " has no " + StoreDirectory.MARKER + " file, so it is not a"
          + " Sett store; repair only works on a store directory");
    }
    StoreDirectory lock = StoreDirectory.open(storage, dir, dryRun);
    try {
      return new Repair(storage, dir, dryRun).repair();
    } finally {
      lock.close();
    }
  }

  boolean dryRun() {
    return dryRun;
  }

  Storage storage() {
    return storage;
  }

  void act(Path file, String what) {
    actions.add(new RepairReport.Action(file, what));
  }

  private RepairReport repair() throws IOException {
    StoreEntries entries = StoreEntries.scan(storage, dir);
    List<Integer> ids = new ArrayList<>(entries.segments);
    Set<Integer> hints = new HashSet<>(entries.hints);
    for (String name : entries.temporaries) {
      Path p = dir.resolve(name);
      delete(p, "deleted the leftover temporary file of an interrupted write (" + storage.size(p)
          + " bytes; the file it was to replace, if any, is intact)");
    }
    for (String name : entries.segmentNamedNotFiles) {
      // Repair never deletes what Sett did not write, and cannot read this as a segment.
      throw new dev.sett.api.CorruptionException(dir.resolve(name), 0, "is named like a segment but is not a"
          + " regular file (a directory, a FIFO, a device or a dangling link); repair does not delete what"
          + " Sett did not write: move it out of the store directory, then run repair again");
    }
    Collections.sort(ids);
    // The all-zero files go first, so that "newest" means the newest segment with data in it.
    List<Integer> live = new ArrayList<>();
    for (int id : ids) {
      Path seg = dir.resolve(SegmentFormat.segmentFileName(id));
      ByteBuffer raw = header(seg);
      if (SegmentHeader.check(raw) == SegmentHeader.Problem.FUTURE_VERSION) {
        throw new UnsupportedFormatException(seg, SegmentHeader.versionOf(raw), SegmentFormat.VERSION);
      }
      if (allZero(seg)) {
        delete(seg, "deleted a segment file that is all zeros (created, never written: an interrupted roll)");
        if (hints.remove(id)) {
          delete(dir.resolve(SegmentFormat.hintFileName(id)), "deleted the hint of that empty segment");
        }
      } else {
        live.add(id);
      }
    }
    for (int i = 0; i < live.size(); i++) {
      int id = live.get(i);
      new SegmentRepair(this, dir, id, i == live.size() - 1, hints.remove(id)).run();
    }
    for (int orphan : hints) {
      delete(dir.resolve(SegmentFormat.hintFileName(orphan)), "deleted a hint file whose segment is gone");
    }
    Path reportFile = null;
    RepairReport report = new RepairReport(dir, dryRun, live.size(), actions, dropped, null);
    if (!dryRun && !actions.isEmpty()) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
      reportFile = dir.resolve(REPORT_PREFIX + stamp + REPORT_SUFFIX);
      report = new RepairReport(dir, false, live.size(), actions, dropped, reportFile);
      storage.writeAtomically(reportFile, report.describe().getBytes(StandardCharsets.UTF_8));
    }
    return report;
  }

  private void delete(Path file, String why) throws IOException {
    act(file, why);
    if (!dryRun) {
      storage.delete(file);
      storage.syncDirectory(dir);
    }
  }

  private ByteBuffer header(Path seg) throws IOException {
    ByteBuffer raw = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
    raw.put(storage.read(seg, 0, SegmentFormat.HEADER_SIZE)).clear();
    return raw;
  }

  private boolean allZero(Path path) throws IOException {
    return storage.allZero(path, 0, storage.size(path));
  }

  static int maxSegmentSize() {
    return StoreOptions.MAX_SEGMENT_SIZE;
  }

  void drop(RepairReport.Dropped d) {
    dropped.add(d);
  }
}
