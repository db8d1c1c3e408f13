package dev.sett.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The records of one large batch on their way into a segment: gathered in memory and written to
 * the file with positional writes ({@link Storage#writeAt}) a chunk at a time, instead of through
 * the mapping.
 *
 * <p><b>Why.</b> Writing through a shared file mapping takes a page fault on the first store to
 * every 4 KiB page (the kernel must learn the page is dirty), and again on each page after every
 * force, which write-protects the pages it writes back. On the 2-core virtual machine this project
 * is measured on, that fault costs about 5.5 µs a page: 64 MiB written through a mapping in
 * 130-byte records took 90 ms, the same bytes written with {@code pwrite} in 130 KB pieces 9 ms
 * (a scratch program, OpenJDK 17). In a Kafka Streams store's restore the faults were the largest
 * single cost of the restoring thread (perf). Small batches still write through the mapping: one page fault is
 * then shared by many batches, and a positional write costs a system call (and here an open) each.
 *
 * <p><b>Why readers are not affected.</b> The segment's end ({@link Segment#end()}) moves only
 * once every byte of the batch has been written ({@link Segment#finishStaged}), and the index
 * learns the batch's positions after that; a mapping of a file and writes to the file share the
 * page cache on Linux, macOS and Windows, so a reader that sees a position reads its bytes through
 * the mapping as before. A force that runs meanwhile proves the durable end only up to the old end.
 * Bytes of an unfinished batch may reach the file before a failure. They carry no commit record:
 * after a failed write the store refuses writes and the next open cuts them; after any other
 * failure the writer zeroes them, as it zeroes a failed batch's records written through the
 * mapping ({@link Segment#truncateTo}).
 *
 * <p>Lives for one batch; used only by the store's writer, under its lock.
 */
final class StagedAppends {
  /** Bytes gathered before a positional write: large enough that the system calls are few. */
  static final int CHUNK = 256 * 1024;

  /**
   * Direct buffers kept for the next batches, at most {@value #POOLED}: a new buffer per batch cost
   * a zeroed allocation each time, and a heap buffer is copied into a temporary direct one by the
   * channel anyway. Shared by every store and thread rather than kept per thread, because virtual
   * threads can be many: a batch takes one and gives it back when it ends, so the buffers alive at
   * once are the staged batches being written at once (at most one per store, as each store writes
   * under its lock) plus the few kept.
   */
  private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOL_SIZE = new AtomicInteger();
  private static final int POOLED = 4;

  private final Storage storage;
  private final Path path;
  private ByteBuffer buffer;
  private int bufferStart;

  StagedAppends(Storage storage, Path path, int start) {
    this.storage = storage;
    this.path = path;
    this.bufferStart = start;
    ByteBuffer b = POOL.poll();
    if (b != null) {
      POOL_SIZE.decrementAndGet();
    }
    this.buffer = b == null ? ByteBuffer.allocateDirect(CHUNK) : b.clear();
  }

  /** Gives the buffer back; the batch is over (written or abandoned) and takes no more bytes. */
  void release() {
    ByteBuffer b = buffer;
    buffer = null;
    if (b != null && POOL_SIZE.incrementAndGet() <= POOLED) {
      POOL.offer(b);
    } else if (b != null) {
      POOL_SIZE.decrementAndGet(); // dropped: the collector frees it
    }
  }

  /** How many buffers the pool keeps now (tests). */
  static int pooled() {
    return POOL_SIZE.get();
  }

  /** The offset the next appended byte goes to. */
  int end() {
    return buffer == null ? bufferStart : bufferStart + buffer.position();
  }

  /** The offset up to which bytes have been written to the file (or attempted to be). */
  int writtenEnd() {
    return bufferStart;
  }

  /**
   * Appends {@code length} bytes of {@code src}; a full buffer is written first. An I/O error is
   * thrown unchecked ({@link UncheckedIOException}), because it surfaces inside a record's append:
   * the writer turns it into a store failure, as it does a fault while writing through the mapping.
   */
  void put(byte[] src, int srcOffset, int length) {
    while (length > 0) {
      if (!buffer.hasRemaining()) {
        writeBuffer();
      }
      int n = Math.min(length, buffer.remaining());
      buffer.put(src, srcOffset, n);
      srcOffset += n;
      length -= n;
    }
  }

  /**
   * Appends zeros up to offset {@code to} (a record's padding to its aligned size): written, not
   * skipped, because the buffer is reused and the file's bytes there must be zeros.
   */
  void padTo(int to) {
    while (end() < to) {
      if (!buffer.hasRemaining()) {
        writeBuffer();
      }
      buffer.put((byte) 0);
    }
  }

  /** Writes what is gathered; afterwards every appended byte is in the file (its page cache). */
  void finish() throws IOException {
    int n = buffer.position();
    if (n > 0) {
      int at = bufferStart;
      // Counted as written before the call: after a failure, what reached the file is unknown.
      bufferStart += n;
      buffer.flip();
      try {
        storage.writeAt(path, at, buffer);
      } finally {
        buffer.clear();
      }
    }
  }

  private void writeBuffer() {
    try {
      finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
