package dev.sett.tools;

import dev.sett.api.SegmentStats;
import dev.sett.api.StoreStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What looks wrong in a store directory beside the records themselves, in the spirit of
 * {@code badger info}'s abnormalities: files Sett did not write, leftovers of an interrupted
 * operation, hints without their segment, segment files whose size differs from their header's.
 * Stateless.
 */
final class Abnormalities {
  /** Sett's own temporary names (a segment being prepared, a hint or the marker being replaced). */
  private static final Pattern SETT_TEMPORARY = Pattern.compile("(\\d{10}\\.(seg|hint)|sett\\.store)\\.tmp");
  static final Pattern SEGMENT = Pattern.compile("\\d{10}\\.seg");
  static final Pattern HINT = Pattern.compile("\\d{10}\\.hint");
  private static final Pattern REPAIR_REPORT = Pattern.compile("repair-[0-9-]+\\.txt");

  private Abnormalities() {
  }

  /** One line per abnormality, empty when there is none. */
  static List<String> find(Path dir, StoreStats stats) {
    return find(dir, stats, new dev.sett.api.StoreActivity(-1, List.of(), List.of()));
  }

  /**
   * As {@link #find(Path, StoreStats)}, knowing who has the store open: while a writer runs,
   * segments newer than the ones {@code stats} describe are its new ones, and retired segments
   * waiting for readers are expected, so neither is reported.
   */
  static List<String> find(Path dir, StoreStats stats, dev.sett.api.StoreActivity activity) {
    Set<String> segments = new HashSet<>();
    int newest = 0;
    for (SegmentStats s : stats.segments()) {
      segments.add(String.format("%010d", s.id()));
      newest = Math.max(newest, s.id());
    }
    for (int retired : activity.retiredSegments()) {
      segments.add(String.format("%010d", retired));
    }
    int lastKnown = newest;
    boolean live = activity.writerRunning();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        if (n.equals("sett.store") || n.equals("LOCK") || REPAIR_REPORT.matcher(n).matches()
            || n.equals(DemoDirectory.DEMO_MARKER)) {
          return; // written by 'sett repair' or 'sett demo': the operator's to keep or delete
        }
        if (n.equals("readers") && Files.isDirectory(p)) {
          return; // where read-only handles announce themselves
        }
        boolean newer = live && (SEGMENT.matcher(n).matches() || HINT.matcher(n).matches())
            && Integer.parseInt(n.substring(0, 10)) > lastKnown;
        if (newer) {
          return; // written by the running writer since this command read the store
        }
        if (SEGMENT.matcher(n).matches()) {
          if (!segments.contains(n.substring(0, 10))) {
            found.add("extra segment file " + n + " (not part of the store; left by an interrupted deletion?)");
          }
        } else if (HINT.matcher(n).matches()) {
          if (!segments.contains(n.substring(0, 10))) {
            found.add("hint file " + n + " without its segment");
          }
        } else if (n.endsWith(".seg.damaged")) {
          found.add("segment file " + n + " moved aside by 'sett repair' (nothing in it could be read)");
        } else if (SETT_TEMPORARY.matcher(n).matches() && live) {
          return; // the running writer's file in the making (its next segment, a hint)
        } else if (SETT_TEMPORARY.matcher(n).matches()) {
          found.add("temporary file " + n + " (left by an interrupted write; the next writable open deletes it)");
        } else if (Files.isSymbolicLink(p)) {
          found.add("symbolic link " + n + " (not written by Sett; left alone)");
        } else if (Files.isDirectory(p)) {
          found.add("directory " + n + " (Sett never creates one)");
        } else if (!Files.isRegularFile(p)) {
          found.add("special file " + n + " (a FIFO, socket or device; Sett never opens it)");
        } else {
          found.add("file " + n + " (not written by Sett)");
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (SegmentStats s : stats.segments()) {
      Path file = dir.resolve(String.format("%010d.seg", s.id()));
      if (live && !Files.exists(file)) {
        continue; // compacted away by the running writer since this command read the store
      }
      long size = size(file);
      if (size != s.sizeBytes()) {
        found.add(file.getFileName() + " is " + size + " bytes but " + s.sizeBytes() + " are mapped (truncated?)");
      }
    }
    return found;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
