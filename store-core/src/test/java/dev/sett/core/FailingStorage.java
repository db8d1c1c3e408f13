package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Storage} that fails its N-th operation with an {@link IOException}, either once (the
 * operations after it work again) or for ever (every operation from the N-th on fails), as SQLite's
 * I/O-error tests do. Counting covers every method, from every thread.
 */
final class FailingStorage extends DelegatingStorage {
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int failAt;
  private volatile boolean forever;
  private volatile String failed;

  /** Fails call {@code failAt} (1-based; 0 never fails), and every later one if {@code forever}. */
  FailingStorage(Storage delegate, int failAt, boolean forever) {
    super(delegate);
    this.failAt = failAt;
    this.forever = forever;
  }

  /** From now on, fails the {@code n}-th next operation (1-based), and every later one if {@code forever}. */
  void failFromNow(int n, boolean forever) {
    this.forever = forever;
    this.failAt = calls.get() + n;
  }

  /** How many operations were asked for. */
  int calls() {
    return calls.get();
  }

  /** The first operation that was failed, or null. */
  String failed() {
    return failed;
  }

  private void tick(String op, Path file) throws IOException {
    int n = calls.incrementAndGet();
    if (failAt > 0 && (n == failAt || forever && n > failAt)) {
      String what = op + " " + file.getFileName() + " (operation " + n + ")";
      if (failed == null) {
        failed = what;
      }
      throw new IOException("injected I/O error: " + what);
    }
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    tick("list", dir);
    return super.list(dir);
  }

  @Override
  public boolean exists(Path file) {
    return super.exists(file);
  }

  @Override
  public long size(Path file) throws IOException {
    tick("size", file);
    return super.size(file);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    tick("createDirectories", dir);
    super.createDirectories(dir);
  }

  @Override
  public void createFilled(Path file, ByteBuffer header, int size) throws IOException {
    tick("createFilled", file);
    super.createFilled(file, header, size);
  }

  @Override
  public void writeAt(Path file, long offset, ByteBuffer data) throws IOException {
    tick("writeAt", file);
    super.writeAt(file, offset, data);
  }

  @Override
  public void force(Path file) throws IOException {
    tick("force", file);
    super.force(file);
  }

  @Override
  public void writeAtomically(Path file, byte[] content) throws IOException {
    tick("writeAtomically", file);
    super.writeAtomically(file, content);
  }

  @Override
  public void writeAtomically(Path file, Pieces content) throws IOException {
    tick("writeAtomically", file);
    super.writeAtomically(file, content);
  }

  @Override
  public ByteBuffer read(Path file, long offset, int length) throws IOException {
    tick("read", file);
    return super.read(file, offset, length);
  }

  @Override
  public byte[] readAll(Path file) throws IOException {
    tick("readAll", file);
    return super.readAll(file);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    tick("rename", to);
    super.rename(from, to);
  }

  @Override
  public void delete(Path file) throws IOException {
    tick("delete", file);
    super.delete(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    tick("syncDirectory", dir);
    super.syncDirectory(dir);
  }

  @Override
  public MappedRegion map(Path file, int size, boolean readOnly) throws IOException {
    tick("map", file);
    return super.map(file, size, readOnly);
  }
}
