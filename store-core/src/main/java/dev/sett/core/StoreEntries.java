package dev.sett.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a store directory holds, sorted out by name and type without opening anything: the one
 * place that decides which entries are Sett's, for recovery, verify and repair.
 *
 * <p>Sett's own files are regular files (never links) with the names of {@link SegmentFormat} and
 * {@link StoreDirectory}. An entry of any other type is not Sett's, whatever its name: a directory,
 * a symbolic link (dangling, or to a directory or a device), a FIFO or a socket is never opened
 * (opening a FIFO for reading blocks until someone writes to it), never deleted and never replaced.
 * Regular files with other names are left alone too. A regular file named exactly like a segment is
 * taken for one (and refused as damage if it is not), so that a damaged segment is never skipped
 * silently.
 *
 * <p>New segments get ids past every id in an entry named like a segment, a hint, one of their
 * temporary files or a segment moved aside by repair, of whatever type: a new file never lands on a
 * name someone else holds, and a hint without its segment never describes a new segment.
 *
 * <p>Immutable once read.
 */
final class StoreEntries {
  /** {@code NNNNNNNNNN.seg} or {@code .hint}, possibly with the suffix of a temporary or moved-aside file. */
  private static final Pattern ID_NAME = Pattern.compile("(\\d{10})\\.(seg|hint)(\\.tmp|\\.damaged)?");
  /** Temporary files Sett writes and renames: segments, hints, the marker, repair reports. */
  private static final Pattern OWN_TEMPORARY = Pattern.compile(
      "(\\d{10}\\.(seg|hint)|" + Pattern.quote(StoreDirectory.MARKER) + "|"
          + Pattern.quote(Repair.REPORT_PREFIX) + "[0-9-]+" + Pattern.quote(Repair.REPORT_SUFFIX) + ")"
          + Pattern.quote(SegmentFormat.TEMP_SUFFIX));

  /**
   * Ids above this in names that are not segments are not counted in {@link #highestId}: going past
   * them would leave too few ids for the store (a file named {@code 2147483647.hint} would stop it
   * after one roll), and a store would need a billion rolls to reach them.
   */
  private static final long HIGHEST_COUNTED_ID = Integer.MAX_VALUE / 2;

  /** Ids of the segment files (regular files named {@code NNNNNNNNNN.seg}), ascending. */
  final List<Integer> segments;
  /** Ids of the hint files (regular files named {@code NNNNNNNNNN.hint}). */
  final Set<Integer> hints;
  /** Temporary files Sett left behind when it stopped mid-write (regular files, Sett's own names). */
  final List<String> temporaries;
  /** Entries named like Sett's files that are not regular files: someone else's, left alone. */
  final Set<String> lookalikes;
  /**
   * The largest id (up to {@value #HIGHEST_COUNTED_ID}) in the name of any entry shaped like a Sett
   * file, of any type; 0 if none. Recovery starts new segment ids past it and past every segment.
   */
  final int highestId;

  private StoreEntries(List<Integer> segments, Set<Integer> hints, List<String> temporaries,
      Set<String> lookalikes, int highestId) {
    this.segments = segments;
    this.hints = hints;
    this.temporaries = temporaries;
    this.lookalikes = lookalikes;
    this.highestId = highestId;
  }

  static StoreEntries read(Storage storage, Path dir) throws IOException {
    List<Integer> segments = new ArrayList<>();
    Set<Integer> hints = new HashSet<>();
    List<String> temporaries = new ArrayList<>();
    Set<String> lookalikes = new TreeSet<>();
    long highest = 0;
    List<String> names = storage.list(dir);
    Collections.sort(names);
    for (String name : names) {
      var m = ID_NAME.matcher(name);
      boolean idName = m.matches();
      if (idName && Long.parseLong(m.group(1)) <= HIGHEST_COUNTED_ID) {
        highest = Math.max(highest, Long.parseLong(m.group(1)));
      }
      boolean ownTemporary = OWN_TEMPORARY.matcher(name).matches();
      if (!idName && !ownTemporary) {
        continue; // not named like a file of Sett's: nothing to look at
      }
      if (!storage.isRegularFile(dir.resolve(name))) {
        lookalikes.add(name);
        continue;
      }
      int id;
      if ((id = SegmentFormat.idOf(name, SegmentFormat.SEGMENT_SUFFIX)) > 0) {
        segments.add(id);
      } else if ((id = SegmentFormat.idOf(name, SegmentFormat.HINT_SUFFIX)) > 0) {
        hints.add(id);
      } else if (ownTemporary) {
        temporaries.add(name);
      }
    }
    Collections.sort(segments);
    return new StoreEntries(segments, hints, temporaries, lookalikes, (int) highest);
  }

  /** Whether {@code name} is held by an entry that is not a regular file (so Sett cannot write it). */
  boolean blocked(String name) {
    return lookalikes.contains(name);
  }

  /** Whether {@code name} is a temporary file name Sett writes (whatever the entry's type). */
  static boolean isOwnTemporary(String name) {
    return OWN_TEMPORARY.matcher(name).matches();
  }
}
