package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sett load} takes whatever {@code sett export} wrote, keys of any size the format holds and
 * values up to the target store's own limit, and bounds its memory on huge or endless input: it
 * streams the file, commits batches of bounded size, and stops at a line longer than any record line
 * can be, naming it. The memory bound is checked by running the command in a JVM with a small heap.
 */
class LoadLimitsTest {
  private static final String HEADER =
      "{\"format\":\"sett-export\",\"version\":1,\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":%d}";
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private final List<Path> fifos = new ArrayList<>();

  /** Opens every FIFO read-write (which never blocks), releasing any thread stuck opening it. */
  @AfterEach
  void releaseFifos() throws IOException {
    for (Path p : fifos) {
      if (Files.exists(p)) {
        FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      }
    }
  }

  private Path fifo(String name) throws Exception {
    Path p = tmp.resolve(name);
    assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
    fifos.add(p);
    return p;
  }

  private static byte[] filled(int size, int seed) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) seed);
    return b;
  }

  /** Runs the sett command line in a child JVM with a heap of {@code heapMiB}. */
  private Cli runWithHeap(int heapMiB, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMiB + "m");
    cmd.addAll(Arrays.asList(Sett.requiredJvmFlags().split(" ")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SettCli.class.getName());
    cmd.addAll(Arrays.asList(args));
    Path out = tmp.resolve("child.out");
    Path err = tmp.resolve("child.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("sett " + String.join(" ", args) + " did not end in " + LIMIT + ":\n"
          + Files.readString(err));
    }
    return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void loadTakesA5000ByteKeyAndTheLongestKeyTheFormatHoldsAsExportWroteThem() throws IOException {
    Path source = tmp.resolve("source");
    try (Store s = Sett.open(source, StoreOptions.builder().segmentSize(1 << 20)
        .maxKeySize(StoreOptions.MAX_KEY_SIZE_LIMIT).build())) {
      s.put(filled(5000, 'k'), utf8("five thousand"));
      s.put(filled(StoreOptions.MAX_KEY_SIZE_LIMIT, 'z'), utf8("the longest"));
      s.put(utf8("short"), utf8("key"));
    }
    Path dump = tmp.resolve("dump.jsonl");
    Cli export = Cli.run("export", "--no-progress", source.toString(), dump.toString());
    assertEquals(SettCli.EXIT_OK, export.exitCode(), export.describe());

    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", copy.toString(), dump.toString());
    assertEquals(SettCli.EXIT_OK, load.exitCode(), load.describe());
    assertEquals(Stores.contents(source), Stores.contents(copy));
    Cli get = Cli.run("get", "--key-format", "hex", copy.toString(), "6b".repeat(5000));
    assertEquals(SettCli.EXIT_OK, get.exitCode(), get.describe());
    assertTrue(get.out().contains("five thousand"), get.describe());
  }

  @Test
  void loadTakesValuesUpToTheLimitTheTargetStoreWasWrittenWith() throws IOException {
    Path target = tmp.resolve("target");
    Sett.open(target, StoreOptions.builder().segmentSize(32 << 20).maxValueSize(20 << 20).build()).close();
    Path dump = tmp.resolve("big.jsonl");
    String value = java.util.Base64.getEncoder().encodeToString(filled(17 << 20, 3));
    Files.writeString(dump, String.format(HEADER, 1) + "\n{\"key\":\"YQ==\",\"value\":\"" + value + "\"}\n");
    Cli load = Cli.run("load", "--no-progress", target.toString(), dump.toString());
    assertEquals(SettCli.EXIT_OK, load.exitCode(), load.describe());
    try (Store s = Sett.open(target, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(filled(17 << 20, 3), s.get(utf8("a")));
    }
  }

  @Test
  void loadOfAnEndlessInputStopsAtItsFirstLineInBoundedMemory() throws Exception {
    Path store = tmp.resolve("s");
    Cli load = runWithHeap(96, "load", "--no-progress", store.toString(), "/dev/zero");
    assertEquals(SettCli.EXIT_DATA, load.exitCode(), load.describe());
    assertTrue(load.err().startsWith("sett: /dev/zero line 1: the line is longer than a dump's header can be"),
        load.describe());
    assertFalse(Files.exists(store), "nothing was created");
  }

  @Test
  void loadOfAHugeLineStopsAtThatLineInBoundedMemory() throws Exception {
    Path dump = tmp.resolve("huge.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
      f.write((String.format(HEADER, 1) + "\n{\"key\":\"YQ==\",\"value\":\"").getBytes(StandardCharsets.UTF_8));
      f.setLength(4L << 30); // sparse: 4 GiB of zeros without a line break
    }
    Path store = tmp.resolve("s");
    Cli load = runWithHeap(96, "load", "--no-progress", store.toString(), dump.toString());
    assertEquals(SettCli.EXIT_DATA, load.exitCode(), load.describe());
    assertTrue(load.err().startsWith("sett: " + dump + " line 2: the line is longer than any record line can be"
        + " (22,461,100 bytes for keys of up to 65,535 bytes in base64 and values of up to 16,777,216 bytes in"
        + " base64); nothing was loaded"), load.describe());
    assertFalse(Files.exists(store), "nothing was created");
  }

  @Test
  void loadReadsADumpFromAPipe() throws Exception {
    Path source = tmp.resolve("source");
    Stores.createText(source, "a", "1", "b", "2", "c", "3");
    Path dump = tmp.resolve("dump.jsonl");
    assertEquals(SettCli.EXIT_OK, Cli.run("export", source.toString(), dump.toString()).exitCode());
    Path pipe = fifo("pipe");
    Thread writer = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(pipe)) {
        out.write(Files.readAllBytes(dump));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    Path copy = tmp.resolve("copy");
    Cli load = assertTimeoutPreemptively(LIMIT, () -> Cli.run("load", "--no-progress", copy.toString(),
        pipe.toString()));
    assertEquals(SettCli.EXIT_OK, load.exitCode(), load.describe());
    assertTrue(load.out().startsWith("Loaded 3 records from " + pipe), load.describe());
    assertEquals(Stores.contents(source), Stores.contents(copy));
    writer.join();
  }

  @Test
  void loadFromAPipeCommitsBoundedBatchesAsItReadsInBoundedMemory() throws Exception {
    Path pipe = fifo("endless");
    int lines = 300_000;
    Thread writer = new Thread(() -> {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(pipe), 1 << 16)) {
        out.write((String.format(HEADER, Long.MAX_VALUE) + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] line = ("{\"key\":\"YQ==\",\"value\":\"" + "A".repeat(1000) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < lines; i++) {
          out.write(line);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    Path store = tmp.resolve("s");
    Cli load = runWithHeap(96, "load", "--no-progress", store.toString(), pipe.toString());
    writer.join();
    assertEquals(SettCli.EXIT_DATA, load.exitCode(), load.describe());
    assertTrue(load.err().contains("sett: " + pipe + " line " + (lines + 2) + ": the file ends after " + lines
        + " of the " + Long.MAX_VALUE + " records its header announces; it was probably cut short; the 300,000"
        + " records before that line were loaded"), load.describe());
    try (Store s = Sett.open(store, StoreOptions.builder().readOnly(true).build())) {
      assertEquals(750, s.get(utf8("a")).length);
    }
  }
}
