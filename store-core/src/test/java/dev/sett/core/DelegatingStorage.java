package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** A {@link Storage} that forwards everything; tests override what they want to observe or break. */
class DelegatingStorage implements Storage {
  private final Storage delegate;

  DelegatingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public boolean exists(Path file) {
    return delegate.exists(file);
  }

  @Override
  public long size(Path file) throws IOException {
    return delegate.size(file);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public void createFilled(Path file, ByteBuffer header, int size) throws IOException {
    delegate.createFilled(file, header, size);
  }

  @Override
  public void writeAt(Path file, long offset, ByteBuffer data) throws IOException {
    delegate.writeAt(file, offset, data);
  }

  @Override
  public void force(Path file) throws IOException {
    delegate.force(file);
  }

  @Override
  public void writeAtomically(Path file, byte[] content) throws IOException {
    delegate.writeAtomically(file, content);
  }

  @Override
  public void writeAtomically(Path file, Pieces content) throws IOException {
    delegate.writeAtomically(file, content);
  }

  @Override
  public ByteBuffer read(Path file, long offset, int length) throws IOException {
    return delegate.read(file, offset, length);
  }

  @Override
  public byte[] readAll(Path file) throws IOException {
    return delegate.readAll(file);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    delegate.rename(from, to);
  }

  @Override
  public void delete(Path file) throws IOException {
    delegate.delete(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    delegate.syncDirectory(dir);
  }

  @Override
  public MappedRegion map(Path file, int size, boolean readOnly) throws IOException {
    return delegate.map(file, size, readOnly);
  }

  @Override
  public void finishUnmapping() {
    delegate.finishUnmapping();
  }
}
