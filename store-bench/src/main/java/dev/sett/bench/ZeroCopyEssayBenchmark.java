package dev.sett.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic: the two experiments of the zero-copy essay (shared/seed/zero-copy-techniques.md), in Java,
 * with no Sett code involved.
 *
 * <ol>
 *   <li>Copy versus slice (essay: Go {@code BenchmarkCopy} 4,246 ns, 64 KiB/op, versus
 *       {@code BenchmarkSlice} 0.592 ns, 0 B/op): copy a 64 KiB heap array into a new
 *       {@code byte[]}, versus {@link ByteBuffer#slice()} / {@link ByteBuffer#asReadOnlyBuffer()} of
 *       a 64 KiB heap buffer. Unlike a Go slice header, a Java slice is an object: it costs an
 *       allocation when it escapes ({@code slice64k} returns it) and nothing when escape analysis
 *       removes it ({@code slice64kGetLong}).</li>
 *   <li>Read versus mapping a 4 MiB file (essay: Go {@code ReadAt} 94,650 ns versus mmap 50,082 ns):
 *       {@link FileChannel#read(ByteBuffer, long)} into a preallocated heap buffer (and, for
 *       reference, a direct one: a heap destination costs the JDK an extra copy through a temporary
 *       direct buffer), versus a mapping made once at setup and either copied out into a
 *       preallocated array (what the Go mmap benchmark does) or summed in place (true zero-copy).</li>
 * </ol>
 * The file is written at setup, so it is in the page cache: neither side touches the disk.
 *
 * <p><b>How to run</b> (from the repository root, after {@code ./mvnw -B -o -q install -DskipTests}):
 * <pre>
 * java -jar store-bench/target/benchmarks.jar ZeroCopyEssayBenchmark -prof gc
 * java -jar store-bench/target/benchmarks.jar ZeroCopyEssayBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc   # quick look
 * </pre>
 * No Sett store is opened here, so the forks get only the heap settings, not Sett's module flags.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.XMS, BenchJvm.XMX, BenchJvm.PRE_TOUCH})
public class ZeroCopyEssayBenchmark {
  static final int BUFFER_SIZE = 64 << 10;
  static final int FILE_SIZE = 4 << 20;

  private byte[] source;
  private ByteBuffer heapBuffer;

  private Path file;
  private FileChannel channel;
  private ByteBuffer readHeap;
  private ByteBuffer readDirect;
  private byte[] copyTarget;
  private MappedByteBuffer mapping;
  private ByteBuffer mappingNative;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    source = new byte[BUFFER_SIZE];
    fill(random, source);
    heapBuffer = ByteBuffer.wrap(source);

    byte[] content = new byte[FILE_SIZE];
    fill(random, content);
    file = Files.createTempFile("sett-essay-", ".bin");
    Files.write(file, content);
    channel = FileChannel.open(file, StandardOpenOption.READ);
    readHeap = ByteBuffer.allocate(FILE_SIZE);
    readDirect = ByteBuffer.allocateDirect(FILE_SIZE);
    copyTarget = new byte[FILE_SIZE];
    mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, FILE_SIZE);
    mappingNative = mapping.duplicate().order(ByteOrder.nativeOrder());

    // Both ways of reading must see the file's bytes.
    readFileHeap();
    mmapCopy();
    if (!ByteBuffer.wrap(copyTarget).equals(readHeap.flip()) || sumLongs(ByteBuffer.wrap(content)
        .order(ByteOrder.nativeOrder())) != mmapSumLongs()) {
      throw new IllegalStateException("read and mapping disagree about " + file);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      mapping = null;
      mappingNative = null;
      if (file != null) {
        // On Linux a file can be deleted while mapped; the mapping goes when the GC collects it.
        Files.deleteIfExists(file);
      }
    }
  }

  // ---- experiment 1: copy versus slice of 64 KiB ---------------------------------------------

  /** Go: {@code dst := make([]byte, len(data)); copy(dst, data)}. */
  @Benchmark
  public byte[] copy64k() {
    byte[] copy = new byte[source.length];
    System.arraycopy(source, 0, copy, 0, source.length);
    return copy;
  }

  /** Go: {@code data[:]}; a returned slice is a new 48-byte object sharing the array. */
  @Benchmark
  public ByteBuffer slice64k() {
    return heapBuffer.slice();
  }

  /** A read-only view (what a store would hand out), also sharing the array. */
  @Benchmark
  public ByteBuffer readOnlyView64k() {
    return heapBuffer.asReadOnlyBuffer();
  }

  /** A slice that does not escape: escape analysis can remove the object altogether. */
  @Benchmark
  public long slice64kGetLong() {
    return heapBuffer.slice().getLong(BUFFER_SIZE - Long.BYTES);
  }

  // ---- experiment 2: read versus mapping of a 4 MiB file -------------------------------------

  /** Go {@code ReadAt} into a preallocated slice: {@code pread} into a heap buffer. */
  @Benchmark
  public byte readFileHeap() throws IOException {
    return readFully(readHeap);
  }

  /** The same into a direct buffer: one copy less inside the JDK. */
  @Benchmark
  public byte readFileDirect() throws IOException {
    return readFully(readDirect);
  }

  /** Go's mmap benchmark: copy the mapped file out into a preallocated array. */
  @Benchmark
  public byte[] mmapCopy() {
    mapping.get(0, copyTarget);
    return copyTarget;
  }

  /** Read every long of the file in place through the mapping: no copy at all. */
  @Benchmark
  public long mmapSumLongs() {
    return sumLongs(mappingNative);
  }

  private byte readFully(ByteBuffer buffer) throws IOException {
    buffer.clear();
    long position = 0;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + file + " at " + position);
      }
      position += n;
    }
    return buffer.get(FILE_SIZE - 1);
  }

  private static long sumLongs(ByteBuffer buffer) {
    long sum = 0;
    for (int i = 0, n = buffer.limit() - Long.BYTES; i <= n; i += Long.BYTES) {
      sum += buffer.getLong(i);
    }
    return sum;
  }

  private static void fill(SplittableRandom random, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.remaining() >= Long.BYTES) {
      b.putLong(random.nextLong());
    }
  }
}
