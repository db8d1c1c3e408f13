package dev.sett.core;

import dev.sett.api.InvalidInputException;
import dev.sett.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a consistent, openable copy of a store while it runs ({@link SettStore#checkpoint}): what
 * the store's segment table held at one instant, each segment up to where its records ended then.
 *
 * <p>The instant is the caller's (under the write lock, for a writer): it pins the segments and notes
 * their ends and the sequence number, nothing more, so the writer waits microseconds. The files are
 * then written with the lock released:
 * <table>
 *   <caption>What a checkpoint holds</caption>
 *   <tr><th>file</th><th>how</th><th>why</th></tr>
 *   <tr><td>{@code sett.store}</td><td>written</td><td>the marker, current format version</td></tr>
 *   <tr><td>a segment with a hint file</td><td>hard link (a copy where the file system cannot
 *       link), and its hint likewise</td><td>sealed and forced: nothing ever writes to it again,
 *       and an open of the copy reads its hint and finds nothing after it to scan, so it never
 *       writes to the shared file either</td></tr>
 *   <tr><td>any other segment (the active one)</td><td>copied up to its end, then zeros to its
 *       full size</td><td>its later appends are not the checkpoint's</td></tr>
 * </table>
 * Every file and the directory are forced before it returns. Compaction may retire a pinned segment
 * meanwhile: the pin defers the file's deletion until the copy is done.
 *
 * <p>Used once, by one thread.
 */
final class Checkpoint {
  /** One segment as the instant saw it. */
  record Part(Segment segment, int end, boolean hinted) {
  }

  private Checkpoint() {
  }

  /**
   * Takes a checkpoint into {@code to} (checked by {@link #checkTarget}): under {@code lock} (the
   * writer's, or null for a read-only handle) only the segments are pinned and their ends and the
   * sequence noted; the rest runs with the lock released.
   *
   * @param segments the segment table's segments, ascending (may throw if the store closed)
   * @param sequence the sequence number every noted record is at or below
   * @return that sequence number
   */
  static long take(Path storeDir, SegmentFiles files, Path to, java.util.concurrent.locks.Lock lock,
      java.util.function.Supplier<List<Segment>> segments, java.util.function.LongSupplier sequence) {
    List<Part> parts = new ArrayList<>();
    Segment newest = null;
    long at;
    if (lock != null) {
      lock.lock(); // the instant: pins and ends only
    }
    try {
      List<Segment> all = segments.get();
      newest = all.isEmpty() ? null : all.get(all.size() - 1);
      for (Segment seg : all) {
        if (seg.tryPin()) { // else retired a moment ago: its live records are in a later segment
          parts.add(new Part(seg, seg.end(), false));
        }
      }
      at = sequence.getAsLong();
    } catch (RuntimeException | Error e) {
      unpin(parts);
      throw e;
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
    try {
      for (int i = 0; i < parts.size(); i++) {
        Part p = parts.get(i);
        // The newest one takes appends after the instant: copied up to its end, never linked.
        // Any other one never changes again, so a hint written since is as good as one before.
        boolean hinted = p.segment != newest && files.storage().exists(files.hintPath(p.segment.id()));
        parts.set(i, new Part(p.segment, p.end, hinted));
      }
      write(storeDir, parts, to);
    } finally {
      unpin(parts);
    }
    return at;
  }

  private static void unpin(List<Part> parts) {
    for (Part p : parts) {
      p.segment.unpin();
    }
  }

  /** Refuses a target that exists with anything in it, or lies inside the store. */
  static Path checkTarget(Path storeDir, Path target) {
    if (target == null) {
      throw new InvalidInputException("the checkpoint's target directory must not be null");
    }
    Path to = target.toAbsolutePath().normalize();
    Path from = storeDir.toAbsolutePath().normalize();
    if (to.startsWith(from)) {
      throw new InvalidInputException("the checkpoint target " + to + " is inside the store " + from
          + "; give a directory outside it");
    }
    if (Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
      throw new InvalidInputException("the checkpoint target " + to + " exists and is not an empty directory;"
          + " give a new or empty directory, so that nothing is overwritten");
    }
    Path parent = to.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new InvalidInputException("the checkpoint target's parent " + parent + " does not exist; create it first");
    }
    return to;
  }

  /** Writes the parts into {@code to} (checked by {@link #checkTarget}); unpins nothing. */
  private static void write(Path storeDir, List<Part> parts, Path to) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(to);
      Path marker = to.resolve(StoreDirectory.MARKER);
      Files.write(marker, ("# Sett store. Do not edit or delete.\nformat-version=" + StoreDirectory.FORMAT_VERSION
          + "\n").getBytes(StandardCharsets.UTF_8));
      written.add(marker);
      for (Part p : parts) {
        Segment s = p.segment;
        Path seg = to.resolve(s.path().getFileName());
        if (p.hinted) {
          Path hint = storeDir.resolve(SegmentFormat.hintFileName(s.id()));
          linkOrCopy(s.path(), seg);
          written.add(seg);
          Path hintCopy = to.resolve(hint.getFileName());
          linkOrCopy(hint, hintCopy);
          written.add(hintCopy);
        } else {
          copyPrefix(s.path(), seg, p.end, s.size());
          written.add(seg);
        }
      }
      for (Path f : written) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      try (FileChannel dir = FileChannel.open(to, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new StorageException("could not write the checkpoint " + to + ": " + e + (StorageErrors.isDiskFull(e)
          ? "; the disk is full. Free space, delete the partial checkpoint and retry"
          : "; delete the partial checkpoint and retry"), e, StorageErrors.isDiskFull(e));
    }
  }

  /** A hard link, or a copy where links are not possible (another file system, no support). */
  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.deleteIfExists(target);
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Copies {@code [0, end)} of {@code source} and makes the copy {@code size} bytes long (zeros). */
  private static void copyPrefix(Path source, Path target, int end, int size) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < end) {
        long n = in.transferTo(done, end - done, out);
        if (n <= 0) {
          throw new IOException(source + " ended at offset " + done + " while copying its first " + end + " bytes");
        }
        done += n;
      }
      if (size > end) {
        // A segment file has its full size from creation; the zeros after the data end the scan.
        out.write(java.nio.ByteBuffer.allocate(1), size - 1L);
      }
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new StorageException("could not read " + dir + ": " + e.getMessage(), e, false);
    }
  }
}
