package dev.sett.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A {@link Storage} whose files live in memory and which remembers what a power loss could leave
 * behind, after the model of LevelDB's and RocksDB's fault-injecting environments:
 * <ul>
 *   <li>per file, the content as of its last {@link #force}: bytes written since (through
 *       {@link #writeAt} or the mapping) are not durable;</li>
 *   <li>the directory as of its last {@link #syncDirectory}, plus the create, rename and delete
 *       operations done since, in order: a crash keeps some prefix of them (a journalling file system
 *       commits metadata in order).</li>
 * </ul>
 * {@link #capture} and {@link Crash#variant} build a new storage holding one of the states a power
 * cut at this moment could
 * leave on disk: a prefix of the unsynced directory operations, and for each file its durable content
 * with each unsynced 512-byte sector independently the new bytes, the old bytes, zeros or garbage,
 * and possibly a shorter length. The engine's mappings write straight into the file's array, so a
 * mapped write is a file write here as it is in the page cache.
 *
 * <p>Directories are real (created on disk too), so that the store's lock file, which is an OS file
 * lock, still works; everything else stays in memory, which makes tests that open a store thousands
 * of times fast. Thread-safe for the engine's use: one lock guards the directory maps; file content
 * is written by the engine's single writer and read racily by {@link #capture}, which is exactly
 * what a crash during a write looks like.
 */
final class MemoryStorage implements Storage {
  static final int SECTOR = 512;

  /** A file's content; identity matters (renames move the node, not the bytes). */
  static final class Node {
    volatile byte[] data;
    /** The content as of the last force, or null if never forced (then: zeros of no known length). */
    byte[] durable;

    Node(byte[] data) {
      this.data = data;
    }
  }

  private enum Op { CREATE, RENAME, DELETE }

  private record DirOp(Op op, Path from, Path to, Node node) {
  }

  private final Map<Path, Node> files = new HashMap<>();
  private final Map<Path, Node> durableFiles = new HashMap<>();
  private final List<DirOp> pending = new ArrayList<>();
  private volatile boolean forcing = true;

  /** An empty storage. */
  MemoryStorage() {
  }

  /** When false, {@link #force} and {@link #syncDirectory} do nothing (a disk that ignores flushes). */
  void honourForces(boolean honour) {
    forcing = honour;
  }

  // ---- Storage --------------------------------------------------------------------------------

  @Override
  public synchronized List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path p : files.keySet()) {
      if (dir.equals(p.getParent())) {
        names.add(p.getFileName().toString());
      }
    }
    return names;
  }

  @Override
  public synchronized boolean exists(Path file) {
    return files.containsKey(file) || Files.isDirectory(file);
  }

  @Override
  public synchronized long size(Path file) throws IOException {
    return node(file).data.length;
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  /**
   * The largest file this disk holds: the default segment size. A longer file fails as a full disk
   * would, rather than the test's JVM running out of heap (a fuzzed header can claim a segment of
   * hundreds of megabytes, whose missing end recovery would otherwise write out in memory).
   */
  static final int MAX_FILE_BYTES = dev.sett.api.StoreOptions.DEFAULT_SEGMENT_SIZE;

  private static void checkSpace(Path file, long end) throws IOException {
    if (end > MAX_FILE_BYTES) {
      throw new IOException(file + ": No space left on device (an in-memory file holds at most "
          + MAX_FILE_BYTES + " bytes, " + end + " asked)");
    }
  }

  @Override
  public synchronized void createFilled(Path file, ByteBuffer header, int size) throws IOException {
    if (files.containsKey(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    checkSpace(file, size);
    byte[] data = new byte[size];
    header.duplicate().get(data, 0, Math.min(size, header.remaining()));
    create(file, new Node(data));
  }

  @Override
  public synchronized void writeAt(Path file, long offset, ByteBuffer data) throws IOException {
    Node n = node(file);
    checkSpace(file, offset + data.remaining());
    int end = Math.toIntExact(offset + data.remaining());
    if (end > n.data.length) {
      n.data = Arrays.copyOf(n.data, end);
    }
    data.duplicate().get(n.data, (int) offset, data.remaining());
  }

  @Override
  public synchronized void force(Path file) throws IOException {
    Node n = node(file);
    if (forcing) {
      n.durable = n.data.clone();
    }
  }

  @Override
  public synchronized void writeAtomically(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + SegmentFormat.TEMP_SUFFIX);
    delete(tmp);
    create(tmp, new Node(content.clone()));
    force(tmp);
    rename(tmp, file);
  }

  @Override
  public synchronized ByteBuffer read(Path file, long offset, int length) throws IOException {
    byte[] data = node(file).data;
    int from = (int) Math.min(offset, data.length);
    int to = (int) Math.min((long) from + length, data.length);
    return ByteBuffer.wrap(Arrays.copyOfRange(data, from, to));
  }

  @Override
  public synchronized byte[] readAll(Path file) throws IOException {
    return node(file).data.clone();
  }

  @Override
  public synchronized void rename(Path from, Path to) throws IOException {
    Node n = node(from);
    files.remove(from);
    files.put(to, n);
    pending.add(new DirOp(Op.RENAME, from, to, n));
    syncDirectory(to.getParent());
  }

  @Override
  public synchronized void delete(Path file) throws IOException {
    Node n = files.remove(file);
    if (n != null) {
      pending.add(new DirOp(Op.DELETE, file, null, n));
    }
  }

  @Override
  public synchronized void syncDirectory(Path dir) throws IOException {
    if (!forcing) {
      return;
    }
    List<DirOp> rest = new ArrayList<>();
    for (DirOp op : pending) {
      Path parent = (op.to != null ? op.to : op.from).getParent();
      if (dir.equals(parent)) {
        apply(durableFiles, op);
      } else {
        rest.add(op);
      }
    }
    pending.clear();
    pending.addAll(rest);
  }

  @Override
  public synchronized MappedRegion map(Path file, int size, boolean readOnly) throws IOException {
    Node n = node(file);
    if (n.data.length < size) {
      throw new IOException(file + " is " + n.data.length + " bytes, shorter than the " + size + " to map");
    }
    // The file's own array: a write through the region is a write to the file.
    return new HeapRegion(n.data, size);
  }

  // ---- test access ----------------------------------------------------------------------------

  /** The current content of {@code file} (a copy), or null if there is no such file. */
  synchronized byte[] content(Path file) {
    Node n = files.get(file);
    return n == null ? null : n.data.clone();
  }

  /** Replaces (or creates) {@code file} with {@code content}, durably, as a test's "disk edit". */
  synchronized void put(Path file, byte[] content) {
    Node n = new Node(content.clone());
    n.durable = n.data.clone();
    files.put(file, n);
    durableFiles.put(file, n);
  }

  /** Names (full paths) of every current file. */
  synchronized List<Path> paths() {
    return new ArrayList<>(files.keySet());
  }

  /** As {@link #copy()}, with the files under {@code from} moved to {@code to}. */
  synchronized MemoryStorage copy(Path from, Path to) {
    MemoryStorage c = new MemoryStorage();
    for (Map.Entry<Path, Node> e : files.entrySet()) {
      Path p = e.getKey().startsWith(from) ? to.resolve(from.relativize(e.getKey())) : e.getKey();
      c.put(p, e.getValue().data);
    }
    return c;
  }

  /** A copy where everything now present is durable: the state a clean shutdown leaves. */
  synchronized MemoryStorage copy() {
    MemoryStorage c = new MemoryStorage();
    for (Map.Entry<Path, Node> e : files.entrySet()) {
      c.put(e.getKey(), e.getValue().data);
    }
    return c;
  }

  /**
   * Freezes what a power cut at this moment would find: the durable directory plus the unsynced
   * directory operations, and each file's durable and current content. {@link Crash#variant} then
   * builds the states it could leave on disk.
   */
  Crash capture() {
    Map<Path, Node> durableDir;
    List<DirOp> ops;
    Map<Node, byte[][]> contents = new HashMap<>();
    synchronized (this) {
      durableDir = new HashMap<>(durableFiles);
      ops = new ArrayList<>(pending);
      List<Node> nodes = new ArrayList<>(durableDir.values());
      for (DirOp op : ops) {
        nodes.add(op.node);
      }
      for (Node n : nodes) {
        // Racy on purpose: a write in progress is torn, as it would be on disk.
        contents.put(n, new byte[][] {n.durable, n.data.clone()});
      }
    }
    return new Crash(durableDir, ops, contents);
  }

  /** A frozen moment of a {@link MemoryStorage}: what a power cut then would leave. */
  static final class Crash {
    private final Map<Path, Node> durableDir;
    private final List<DirOp> ops;
    private final Map<Node, byte[][]> contents;

    private Crash(Map<Path, Node> durableDir, List<DirOp> ops, Map<Node, byte[][]> contents) {
      this.durableDir = durableDir;
      this.ops = ops;
      this.contents = contents;
    }

    /** For a failure message: per file, which sectors were not durable when the crash was captured. */
    String describe() {
      StringBuilder b = new StringBuilder();
      Map<Path, Node> all = new HashMap<>(durableDir);
      for (DirOp op : ops) {
        b.append(op.op).append(' ').append(op.from).append(" -> ").append(op.to).append('\n');
        if (op.to != null) {
          all.put(op.to, op.node);
        }
      }
      for (Map.Entry<Path, Node> e : all.entrySet()) {
        byte[][] c = contents.get(e.getValue());
        List<Integer> sectors = new ArrayList<>();
        for (int s = 0; s < c[1].length; s += SECTOR) {
          if (firstDifference(c[0], c[1], s, Math.min(c[1].length, s + SECTOR)) >= 0) {
            sectors.add(s);
          }
        }
        b.append(e.getKey().getFileName()).append(c[0] == null ? " never forced" : " forced")
            .append(", unsynced sectors at ").append(sectors).append('\n');
      }
      return b.toString();
    }

    /**
     * One state the power cut could leave, chosen by {@code random}, as a fresh storage in which
     * everything is durable, with files under {@code from} moved to {@code to}.
     */
    MemoryStorage variant(Random random, Path from, Path to) {
      Map<Path, Node> dir = new HashMap<>(durableDir);
      int keep = ops.isEmpty() ? 0 : random.nextInt(ops.size() + 1);
      for (int i = 0; i < keep; i++) {
        apply(dir, ops.get(i));
      }
      MemoryStorage result = new MemoryStorage();
      for (Map.Entry<Path, Node> e : dir.entrySet()) {
        byte[][] c = contents.get(e.getValue());
        Path p = e.getKey().startsWith(from) ? to.resolve(from.relativize(e.getKey())) : e.getKey();
        result.put(p, afterPowerLoss(c[0], c[1], random));
      }
      return result;
    }
  }

  /** Applies the loss rules to one file: {@code durable} (null: never forced) and what is there now. */
  static byte[] afterPowerLoss(byte[] durable, byte[] now, Random random) {
    if (durable != null && Arrays.equals(durable, now)) {
      return now;
    }
    int base = durable == null ? 0 : durable.length;
    int length = now.length;
    if (length > base && random.nextInt(4) == 0) {
      // The file's new length did not reach the disk either (whole sectors).
      int sectors = (length - base + SECTOR - 1) / SECTOR;
      length = Math.min(now.length, base + random.nextInt(sectors + 1) * SECTOR);
    }
    byte[] out = new byte[length];
    if (durable != null) {
      System.arraycopy(durable, 0, out, 0, Math.min(durable.length, length));
    }
    // Each changed sector: mostly the new bytes or the old ones, sometimes zeros or garbage from its
    // first changed byte to its last. Bytes of a sector that had been forced and did not change
    // since keep their value: a write never damages bytes it did not write (SQLite's "powersafe
    // overwrite", LevelDB's and RocksDB's assumption too): an append's torn sector is damaged from
    // its first new byte to its last, and an in-place rewrite (a segment's seal mark) only where
    // it changed bytes, not in the forced records that share its sector.
    int style = random.nextInt(4);
    for (int s = 0; s < length; s += SECTOR) {
      int end = Math.min(length, s + SECTOR);
      int first = firstDifference(durable, now, s, end);
      if (first < 0) {
        continue;
      }
      int pick = style == 0 ? 0 : random.nextInt(16);
      if (pick < 9) {
        System.arraycopy(now, s, out, s, end - s);
      } else if (pick < 13) {
        continue;
      }
      int last = lastDifference(durable, now, first, end);
      if (pick < 15) {
        Arrays.fill(out, first, last + 1, (byte) 0);
      } else {
        for (int i = first; i <= last; i++) {
          out[i] = (byte) random.nextInt(256);
        }
      }
    }
    return out;
  }

  /** The last offset in [from, to) where {@code now} differs from what was forced ({@code from} differs). */
  private static int lastDifference(byte[] durable, byte[] now, int from, int to) {
    for (int i = to - 1; i > from; i--) {
      byte old = durable != null && i < durable.length ? durable[i] : 0;
      if (now[i] != old) {
        return i;
      }
    }
    return from;
  }

  /** The first offset in [from, to) where {@code now} differs from what was forced, or -1. */
  private static int firstDifference(byte[] durable, byte[] now, int from, int to) {
    for (int i = from; i < to; i++) {
      // Bytes never forced count as zeros before: zeros written over zeros change nothing.
      byte old = durable != null && i < durable.length ? durable[i] : 0;
      if (now[i] != old) {
        return i;
      }
    }
    return -1;
  }

  private void create(Path file, Node n) {
    files.put(file, n);
    pending.add(new DirOp(Op.CREATE, null, file, n));
  }

  private static void apply(Map<Path, Node> dir, DirOp op) {
    switch (op.op) {
      case CREATE -> dir.put(op.to, op.node);
      case RENAME -> {
        dir.remove(op.from);
        dir.put(op.to, op.node);
      }
      case DELETE -> dir.remove(op.from, op.node);
      default -> throw new AssertionError(op);
    }
  }

  private Node node(Path file) throws IOException {
    Node n = files.get(file);
    if (n == null) {
      throw new FileNotFoundException(file + " (no such file in memory)");
    }
    return n;
  }
}
