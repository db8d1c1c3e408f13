package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation the engine performs, behind one small interface so that tests can inject
 * I/O errors, crash points and simulated power loss. The production implementation is
 * {@link FileStorage}.
 *
 * <p>Implementations are thread-safe.
 */
interface Storage {

  /** Names of the entries in {@code dir} (files only, no order). */
  List<String> list(Path dir) throws IOException;

  /** Whether {@code file} exists. */
  boolean exists(Path file);

  /**
   * Whether {@code file} is a regular file (following a symbolic link): false for a directory, a
   * FIFO, a device, a dangling link. Nothing that is not one is ever opened, since opening a FIFO
   * blocks.
   */
  default boolean isRegularFile(Path file) {
    return exists(file);
  }

  /** Length of {@code file} in bytes. */
  long size(Path file) throws IOException;

  /** Creates {@code dir} and its parents if missing, syncing the parent directory. */
  void createDirectories(Path dir) throws IOException;

  /**
   * Creates {@code file}, which must not exist, with exactly {@code size} bytes: {@code header}
   * first, zeros after it. The bytes are written through the file system, not a mapping, so a full
   * disk fails here with an exception. Not forced. (Reserving the blocks with {@code fallocate}
   * instead was tried and dropped: reader processes then missed records; see the README.)
   */
  void createFilled(Path file, ByteBuffer header, int size) throws IOException;

  /** Writes {@code data} at {@code offset} of an existing file, through the file system. */
  void writeAt(Path file, long offset, ByteBuffer data) throws IOException;

  /** Forces {@code file}'s data to stable storage. */
  void force(Path file) throws IOException;

  /** Writes a whole small file atomically: a temporary file, forced, renamed over, directory synced. */
  void writeAtomically(Path file, byte[] content) throws IOException;

  /**
   * As {@link #writeAtomically(Path, byte[])}, for content made in pieces, so that a large file (a
   * hint of a million records is tens of megabytes) is never held whole on the heap: {@code content}
   * hands its pieces to the sink in order, and may be asked again from the start (an attempt cut
   * short by an interrupt is retried). This default gathers the pieces and writes them whole.
   */
  default void writeAtomically(Path file, Pieces content) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    content.writeTo(piece -> {
      byte[] b = new byte[piece.remaining()];
      piece.get(b);
      all.write(b, 0, b.length);
    });
    writeAtomically(file, all.toByteArray());
  }

  /** A file's content, made in pieces; see {@link #writeAtomically(Path, Pieces)}. */
  interface Pieces {
    /** Hands every piece, in order, to {@code sink}, which reads each before the next is made. */
    void writeTo(Sink sink) throws IOException;
  }

  /** Where {@link Pieces} go. */
  interface Sink {
    /** Takes the remaining bytes of {@code piece}; the caller may reuse it once this returns. */
    void write(ByteBuffer piece) throws IOException;
  }

  /** Up to {@code length} bytes of {@code file} from {@code offset} (fewer if the file ends). */
  ByteBuffer read(Path file, long offset, int length) throws IOException;

  /** The whole content of a small file. */
  byte[] readAll(Path file) throws IOException;

  /**
   * Whether bytes [{@code from}, {@code to}) of {@code file} are all zero (bytes past its end count
   * as zero). Recovery reads the empty end of a segment with it, up to 64 MiB on every open.
   */
  default boolean allZero(Path file, long from, long to) throws IOException {
    for (long off = from; off < to; off += 1 << 20) {
      ByteBuffer b = read(file, off, (int) Math.min(1 << 20, to - off));
      while (b.hasRemaining()) {
        if (b.get() != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Reads the whole of {@code file} into the start of {@code into} and returns its length; if the
   * file is longer than {@code into}, returns its length having read nothing useful (the caller
   * retries with a larger array). Lets a caller reuse one array for many files.
   */
  default int readAll(Path file, byte[] into) throws IOException {
    byte[] all = readAll(file);
    if (all.length <= into.length) {
      System.arraycopy(all, 0, into, 0, all.length);
    }
    return all.length;
  }

  /** Renames within one directory, replacing the target, then syncs the directory. */
  void rename(Path from, Path to) throws IOException;

  /** Deletes {@code file} if it exists. Does not sync the directory. */
  void delete(Path file) throws IOException;

  /** Forces the directory entry changes (create, rename, delete) in {@code dir}. */
  void syncDirectory(Path dir) throws IOException;

  /** Maps the first {@code size} bytes of {@code file}, which must be at least that long. */
  MappedRegion map(Path file, int size, boolean readOnly) throws IOException;

  /**
   * Finishes unmapping the regions released so far, where that happens in the background, so that
   * a closed store leaves no mapping behind. Called once per close.
   */
  default void finishUnmapping() {
  }
}
