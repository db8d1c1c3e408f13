package dev.sett.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a store directory holds, sorted into what Sett wrote and everything else, by name and by
 * type: recovery, verify and repair all start here, so that they agree.
 *
 * <p>Why the type matters: a directory may hold anything an operator or another program put there,
 * and Sett must never delete it, nor hang on it. Opening a FIFO for reading blocks until someone
 * writes to it, so nothing here is opened unless it is a regular file (a symlink to one counts), and
 * only Sett's own exact temporary names are ever deleted ({@code NNNNNNNNNN.seg.tmp},
 * {@code NNNNNNNNNN.hint.tmp}, {@code sett.store.tmp}; never any other {@code *.tmp}).
 *
 * <p>Immutable once scanned.
 */
final class StoreEntries {
  /** Ids of the segment files (regular files named {@code NNNNNNNNNN.seg}), ascending. */
  final List<Integer> segments;
  /** Ids of the hint files (regular files named {@code NNNNNNNNNN.hint}). */
  final Set<Integer> hints;
  /** Sett's own unfinished temporary files (regular files), by name. */
  final List<String> temporaries;
  /** Entries named like a segment that are not regular files (a directory, a FIFO, a dangling link). */
  final List<String> segmentNamedNotFiles;

  private StoreEntries(List<Integer> segments, Set<Integer> hints, List<String> temporaries,
      List<String> segmentNamedNotFiles) {
    this.segments = segments;
    this.hints = hints;
    this.temporaries = temporaries;
    this.segmentNamedNotFiles = segmentNamedNotFiles;
  }

  static StoreEntries scan(Storage storage, Path dir) throws IOException {
    List<Integer> segments = new ArrayList<>();
    Set<Integer> hints = new HashSet<>();
    List<String> temporaries = new ArrayList<>();
    List<String> notFiles = new ArrayList<>();
    List<String> names = storage.list(dir);
    Collections.sort(names);
    for (String name : names) {
      int segment = SegmentFormat.idOf(name, SegmentFormat.SEGMENT_SUFFIX);
      int hint = SegmentFormat.idOf(name, SegmentFormat.HINT_SUFFIX);
      boolean regular = (segment > 0 || hint > 0 || isSettTemporary(name)) && storage.isRegularFile(dir.resolve(name));
      if (segment > 0) {
        if (regular) {
          segments.add(segment);
        } else if (storage.exists(dir.resolve(name)) || java.nio.file.Files.isSymbolicLink(dir.resolve(name))) {
          notFiles.add(name);
        }
        // else: deleted since the listing (a live writer's compaction, seen by a reader): gone
      } else if (hint > 0) {
        if (regular) {
          hints.add(hint);
        }
      } else if (regular && isSettTemporary(name)) {
        temporaries.add(name);
      }
    }
    Collections.sort(segments);
    return new StoreEntries(segments, hints, temporaries, notFiles);
  }

  /** These entries less the segments (and their hints) in {@code ids}. */
  StoreEntries without(java.util.Collection<Integer> ids) {
    List<Integer> keep = new ArrayList<>(segments);
    keep.removeAll(ids);
    Set<Integer> keepHints = new HashSet<>(hints);
    keepHints.removeAll(ids);
    return new StoreEntries(keep, keepHints, temporaries, segmentNamedNotFiles);
  }

  /** Whether {@code name} is one of the temporary names Sett itself writes. */
  static boolean isSettTemporary(String name) {
    if (!name.endsWith(SegmentFormat.TEMP_SUFFIX)) {
      return false;
    }
    String base = name.substring(0, name.length() - SegmentFormat.TEMP_SUFFIX.length());
    return SegmentFormat.idOf(base, SegmentFormat.SEGMENT_SUFFIX) > 0
        || SegmentFormat.idOf(base, SegmentFormat.HINT_SUFFIX) > 0
        || base.equals(StoreDirectory.MARKER);
  }
}
