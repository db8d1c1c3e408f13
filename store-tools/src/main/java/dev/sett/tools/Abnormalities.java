package dev.sett.tools;

import dev.sett.api.SegmentStats;
import dev.sett.api.StoreStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What looks wrong in a store directory beside the records themselves, in the spirit of
 * {@code badger info}'s abnormalities: files Sett did not write, directories, symbolic links, FIFOs
 * and other special files (whatever their names: Sett's files are regular files), leftovers of an
 * interrupted operation, hints without their segment, segment files whose size differs from their
 * header's. Nothing is opened but the directory: a FIFO is never read, a link never followed.
 * Stateless.
 */
final class Abnormalities {
  private static final Pattern SEGMENT = Pattern.compile("\\d{10}\\.seg");
  private static final Pattern HINT = Pattern.compile("\\d{10}\\.hint");
  private static final Pattern REPAIR_REPORT = Pattern.compile("repair-[0-9-]+\\.txt");
  /** The temporary files the engine writes and renames (see the engine's StoreEntries). */
  private static final Pattern OWN_TEMPORARY = Pattern.compile(
      "(\\d{10}\\.(seg|hint)|sett\\.store|repair-[0-9-]+\\.txt)\\.tmp");

  private Abnormalities() {
  }

  /** One line per abnormality, empty when there is none. */
  static List<String> find(Path dir, StoreStats stats) {
    Set<String> segments = new HashSet<>();
    for (SegmentStats s : stats.segments()) {
      segments.add(String.format("%010d", s.id()));
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        String other = notARegularFile(p);
        if (other != null) {
          // Whatever its name: Sett's files are regular files, and Sett never opens anything else.
          found.add(other);
          return;
        }
        if (n.equals("sett.store") || n.equals("LOCK") || REPAIR_REPORT.matcher(n).matches()
            || n.equals(DemoDirectory.DEMO_MARKER)) {
          return; // written by 'sett repair' or 'sett demo': the operator's to keep or delete
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
        } else if (OWN_TEMPORARY.matcher(n).matches()) {
          found.add("temporary file " + n + " (left by an interrupted write; the next writable open deletes it)");
        } else {
          found.add("file " + n + " (not written by Sett)");
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (SegmentStats s : stats.segments()) {
      Path file = dir.resolve(String.format("%010d.seg", s.id()));
      long size = size(file);
      if (size != s.sizeBytes()) {
        found.add(file.getFileName() + " is " + size + " bytes but " + s.sizeBytes() + " are mapped (truncated?)");
      }
    }
    return found;
  }

  /**
   * What {@code p} is if it is not a regular file (a directory, a symbolic link, a FIFO...), as an
   * abnormality; null for a regular file. Looks at the entry itself: never follows a link, never
   * opens anything.
   */
  private static String notARegularFile(Path p) {
    String n = p.getFileName().toString();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return "entry " + n + " (cannot be examined: " + Errors.io(e) + ")";
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "directory " + n + " (Sett never creates one)";
    }
    if (a.isSymbolicLink()) {
      String target;
      try {
        target = String.valueOf(Files.readSymbolicLink(p));
      } catch (IOException e) {
        target = "?";
      }
      // Files.exists follows the link only to stat its target, which opens nothing.
      return "symbolic link " + n + " -> " + target + (Files.exists(p) ? " (Sett never follows one)"
          : " (dangling; Sett never follows one)");
    }
    return specialKind(p) + " " + n + " (Sett never opens one)";
  }

  /** "FIFO", "socket", "device" or "special file", from the entry's mode where the platform tells it. */
  private static String specialKind(Path p) {
    try {
      int type = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
      switch (type) {
        case 0010000:
          return "FIFO";
        case 0140000:
          return "socket";
        case 0020000:
        case 0060000:
          return "device";
        default:
          return "special file";
      }
    } catch (IOException | RuntimeException e) {
      return "special file";
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
