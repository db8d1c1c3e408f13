package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Storage} that keeps one flat directory of files in memory, so that fuzz targets can run
 * recovery thousands of times a second without touching the disk. A mapping shares the file's
 * array, as a real shared mapping shares the page cache. Thread-safe by locking; forces and
 * directory syncs do nothing (there is no power to lose here).
 */
final class HeapStorage implements Storage {
  private final Map<String, byte[]> files = new TreeMap<>();

  synchronized void put(String name, byte[] content) {
    files.put(name, content);
  }

  synchronized byte[] get(String name) {
    return files.get(name);
  }

  private byte[] file(Path file) throws NoSuchFileException {
    byte[] b = files.get(file.getFileName().toString());
    if (b == null) {
      throw new NoSuchFileException(file.toString());
    }
    return b;
  }

  @Override
  public synchronized List<String> list(Path dir) {
    return new ArrayList<>(files.keySet());
  }

  @Override
  public synchronized boolean exists(Path file) {
    return files.containsKey(file.getFileName().toString());
  }

  @Override
  public synchronized long size(Path file) throws IOException {
    return file(file).length;
  }

  @Override
  public void createDirectories(Path dir) {
    // One flat directory, always there.
  }

  @Override
  public synchronized void createFilled(Path file, ByteBuffer header, int size) throws IOException {
    String name = file.getFileName().toString();
    if (files.containsKey(name)) {
      throw new IOException(file + " exists");
    }
    byte[] b = new byte[size];
    header.duplicate().get(b, 0, Math.min(size, header.remaining()));
    files.put(name, b);
  }

  @Override
  public synchronized void writeAt(Path file, long offset, ByteBuffer data) throws IOException {
    byte[] b = file(file);
    long end = offset + data.remaining();
    if (end > b.length) {
      // Growing a file replaces its array; existing mappings keep the old one, as a mapping of a
      // real file keeps its size. Recovery only grows files before it maps them.
      b = Arrays.copyOf(b, (int) end);
      files.put(file.getFileName().toString(), b);
    }
    data.duplicate().get(b, (int) offset, data.remaining());
  }

  @Override
  public synchronized void force(Path file) throws IOException {
    file(file);
  }

  @Override
  public synchronized void writeAtomically(Path file, byte[] content) {
    files.put(file.getFileName().toString(), content.clone());
  }

  @Override
  public synchronized ByteBuffer read(Path file, long offset, int length) throws IOException {
    byte[] b = file(file);
    int from = (int) Math.min(offset, b.length);
    int to = (int) Math.min((long) from + length, b.length);
    return ByteBuffer.wrap(Arrays.copyOfRange(b, from, to));
  }

  @Override
  public synchronized byte[] readAll(Path file) throws IOException {
    return file(file).clone();
  }

  @Override
  public synchronized void rename(Path from, Path to) throws IOException {
    byte[] b = file(from);
    files.remove(from.getFileName().toString());
    files.put(to.getFileName().toString(), b);
  }

  @Override
  public synchronized void delete(Path file) {
    files.remove(file.getFileName().toString());
  }

  @Override
  public void syncDirectory(Path dir) {
    // Nothing to sync.
  }

  @Override
  public synchronized MappedRegion map(Path file, int size, boolean readOnly) throws IOException {
    byte[] b = file(file);
    if (b.length < size) {
      throw new IOException(file + " is " + b.length + " bytes, shorter than the " + size + " to map");
    }
    return new HeapRegion(b, size);
  }
}
