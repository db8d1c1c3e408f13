package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Creates, maps and deletes the segment files of one store directory.
 *
 * <p>A new segment is written under a temporary name (header, then zeros through the file system so
 * that its blocks are reserved and a full disk is an exception rather than a SIGBUS later), renamed
 * to its final name and the directory synced; only then is it mapped for appending.
 *
 * <p>Thread-safe.
 */
final class SegmentFiles {
  private final Storage storage;
  private final Path dir;
  private final boolean readOnly;

  SegmentFiles(Storage storage, Path dir, boolean readOnly) {
    this.storage = storage;
    this.dir = dir;
    this.readOnly = readOnly;
  }

  Storage storage() {
    return storage;
  }

  Path dir() {
    return dir;
  }

  boolean readOnly() {
    return readOnly;
  }

  Path segmentPath(int id) {
    return dir.resolve(SegmentFormat.segmentFileName(id));
  }

  Path hintPath(int id) {
    return dir.resolve(SegmentFormat.hintFileName(id));
  }

  /** Creates segment {@code id} of {@code size} bytes and maps it for appending. */
  Segment create(int id, int size, Segment.Disposer onDispose) throws IOException {
    prepare(id, size);
    return install(id, size, onDispose);
  }

  Path preparedPath(int id) {
    return dir.resolve(SegmentFormat.segmentFileName(id) + SegmentFormat.TEMP_SUFFIX);
  }

  /**
   * Writes segment {@code id}'s file under its temporary name: header, then zeros through the file
   * system, then forced. The slow half of creating a segment, done ahead of time off the write path;
   * a crash leaves only a temporary file, which the next open deletes. The force matters: once the
   * file is renamed into place its header must be on disk, so that a header found damaged after a
   * power cut is damage, never a file whose creation had not reached the disk yet.
   */
  void prepare(int id, int size) throws IOException {
    Path tmp = preparedPath(id);
    storage.delete(tmp);
    ByteBuffer header = new SegmentHeader(SegmentFormat.VERSION, id, size, System.currentTimeMillis()).encode();
    storage.createFilled(tmp, header, size);
    storage.force(tmp);
  }

  /** Renames a prepared segment file into place (directory synced) and maps it for appending. */
  Segment install(int id, int size, Segment.Disposer onDispose) throws IOException {
    Path path = segmentPath(id);
    Path tmp = preparedPath(id);
    try {
      storage.rename(tmp, path);
    } catch (IOException e) {
      storage.delete(tmp);
      throw e;
    }
    MappedRegion region = storage.map(path, size, false);
    return new Segment(id, path, region, SegmentFormat.HEADER_SIZE, onDispose);
  }

  /** Maps an existing segment file; {@code writable} only for the one that will take appends. */
  Segment open(int id, int size, boolean writable, Segment.Disposer onDispose) throws IOException {
    Path path = segmentPath(id);
    MappedRegion region = storage.map(path, size, readOnly || !writable);
    return new Segment(id, path, region, SegmentFormat.HEADER_SIZE, onDispose);
  }

  /**
   * Sets the SEALED flag in the header of segment {@code id}, whose data the caller has forced, and
   * forces it. From then on recovery reports any damage in the segment instead of cutting it as a
   * torn tail. Rewrites 64 bytes in place: a write never damages bytes it does not touch.
   */
  void markSealed(int id) throws IOException {
    ByteBuffer raw = readHeader(id);
    if (SegmentHeader.check(raw) != null) {
      throw new IOException("cannot seal " + segmentPath(id) + ": its header is invalid ("
          + SegmentHeader.check(raw) + ")");
    }
    SegmentHeader header = SegmentHeader.decode(raw);
    if (!header.sealed()) {
      writeSealed(id, header);
    }
  }

  /**
   * Rewrites {@code header} of segment {@code id} with the SEALED flag, and forces it. Only the bytes
   * from the flags on are written: a power cut during the write can tear only those, and recovery
   * tells such a torn seal from damage by the bytes before them ({@link SegmentHeader#tornSeal}).
   */
  void writeSealed(int id, SegmentHeader header) throws IOException {
    ByteBuffer sealed = header.asSealed().encode();
    storage.writeAt(segmentPath(id), SegmentFormat.H_FLAGS, sealed.position(SegmentFormat.H_FLAGS));
    storage.force(segmentPath(id));
  }

  /**
   * The header of a segment, read as {@link #readHeader} does, by a read-only handle that a live
   * writer may be sealing the segment beside: sealing rewrites the header in place with one
   * positioned write, and a positioned read of a regular file that races with it may return old
   * and new bytes mixed, which fails the header's checksum although the file is intact. So a
   * header that fails its check is read again until one passes or two reads in a row are equal
   * (then that is what the file holds, and the caller reports it), at most {@value #HEADER_READS}
   * times. A writable handle holds the lock: nothing rewrites its headers, and one read is taken.
   */
  ByteBuffer readSteadyHeader(int id) throws IOException {
    ByteBuffer last = readHeader(id);
    if (!readOnly || SegmentHeader.check(last) == null) {
      return last;
    }
    for (int i = 1; i < HEADER_READS; i++) {
      ByteBuffer again = readHeader(id);
      if (SegmentHeader.check(again) == null || again.equals(last)) {
        return again;
      }
      last = again;
    }
    return last;
  }

  private static final int HEADER_READS = 8;

  /** Writes zeros over [from, to) of {@code path}, a megabyte at a time (recovery's cuts and repairs of lengths). */
  void writeZeros(Path path, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, to - from));
    for (long off = from; off < to; off += zeros.capacity()) {
      storage.writeAt(path, off, zeros.clear().limit((int) Math.min(zeros.capacity(), to - off)));
    }
  }

  /** Reads the raw header bytes of a segment file through the file system (not a mapping). */
  ByteBuffer readHeader(int id) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
    b.put(storage.read(segmentPath(id), 0, SegmentFormat.HEADER_SIZE));
    return b.clear();
  }

  /** Deletes a segment's file and hint (used when the last pin of a retired segment goes). */
  void delete(int id) throws IOException {
    storage.delete(hintPath(id));
    storage.delete(segmentPath(id));
    storage.syncDirectory(dir);
  }
}
