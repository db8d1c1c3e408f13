package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the shaded jar the way users do, {@code java -jar target/sett.jar}, with no JVM flags: the
 * jar's manifest must carry the ones Chronicle Bytes needs. Runs under Failsafe, after
 * {@code package}, which passes the jar's path as the system property {@code sett.jar}.
 */
class SettJarIT {

  record Run(int exitCode, String out, String err) {
    String describe() {
      return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  static Run java(Path work, String... args) throws IOException, InterruptedException {
    String jarProperty = System.getProperty("sett.jar");
    assumeTrue(jarProperty != null, "sett.jar is not set: run this test with 'mvn verify'");
    Path jar = Path.of(jarProperty);
    assumeTrue(Files.isRegularFile(jar), jar + " is not built yet");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 24) {
      // Like the launcher script: this one has no manifest form.
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void plainJavaJarRunsTheDemoWithoutFlagsOrWarnings(@TempDir Path work) throws Exception {
    Run demo = java(work, "demo", "--records", "20000");
    assertEquals(0, demo.exitCode(), demo.describe());
    assertEquals("", demo.err(),
        "nothing on stderr: no JVM warning, no SLF4J notice\n" + demo.describe());
    assertTrue(demo.out().contains("64 KiB  store.readLong"), demo.describe());
    assertTrue(Files.exists(work.resolve("sett-demo").resolve(DemoDirectory.DEMO_MARKER)),
        "the default DIR is ./sett-demo");

    Run info = java(work, "info", "--json", "sett-demo");
    assertEquals(0, info.exitCode(), info.describe());
    assertEquals("", info.err(), info.describe());
    assertTrue(info.out().contains("\"liveKeys\": 20040,"), info.describe());
  }

  @Test
  void jarPutsExportsAndLoadsAndTheCopyScansTheSame(@TempDir Path work) throws Exception {
    Run put = java(work, "put", "--key-format", "hex", "--value-format", "hex", "store", "00ff", "ff00");
    assertEquals(0, put.exitCode(), put.describe());
    assertEquals("", put.err(), put.describe());
    // "café" -> U+1F600, written in hex and base64: non-ASCII arguments depend on the locale.
    assertEquals(0, java(work, "put", "--key-format", "hex", "--value-format", "base64", "store",
        "636166c3a9", "8J+YgA==").exitCode());

    Run export = java(work, "export", "store", "dump.jsonl");
    assertEquals(0, export.exitCode(), export.describe());
    assertEquals("", export.err(), "no progress drawn when stderr is not a terminal\n" + export.describe());
    Run load = java(work, "load", "copy", "dump.jsonl");
    assertEquals(0, load.exitCode(), load.describe());

    Run original = java(work, "scan", "--json", "store");
    Run copy = java(work, "scan", "--json", "copy");
    assertEquals(0, copy.exitCode(), copy.describe());
    assertEquals("{\"key\":\"00ff\",\"keyFormat\":\"hex\",\"value\":\"ff00\",\"valueFormat\":\"hex\"}\n"
        + "{\"key\":\"caf\\u00e9\",\"keyFormat\":\"utf8\",\"value\":\"\\ud83d\\ude00\",\"valueFormat\":\"utf8\"}\n",
        copy.out(), "JSON output is ASCII whatever the platform charset");
    assertEquals(original.out(), copy.out());
  }

  @Test
  void jarExitsThreeWithOneLineWhenTheStoreCannotBeOpened(@TempDir Path work) throws Exception {
    Files.writeString(work.resolve("notes.txt"), "not a store");
    Run info = java(work, "info", ".");
    assertEquals(SettCli.EXIT_STORE, info.exitCode(), info.describe());
    assertEquals(1, info.err().lines().count(), info.describe());
  }

  @Test
  void jarExitsTwoOnAnUnknownSubcommand(@TempDir Path work) throws Exception {
    Run run = java(work, "frobnicate");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
  }

  @Test
  void jarVersionComesFromItsManifest(@TempDir Path work) throws Exception {
    Run run = java(work, "--version");
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().matches("(?s)sett \\d+\\.\\d+\\.\\d+.*"), run.describe());
  }

  @Test
  void jarDumpsADamagedSegmentThenRepairsTheStoreWhichThenVerifies(@TempDir Path work) throws Exception {
    for (String kv : new String[] {"a=AAAAAAAA", "b=BBBBBBBB", "c=CCCCCCCC"}) {
      String[] p = kv.split("=");
      assertEquals(0, java(work, "put", "store", p[0], p[1]).exitCode());
    }
    DumpSegmentCommandTest.damage(work.resolve("store").resolve("0000000001.seg"), "BBBBBBBB");

    Run dump = java(work, "dump-segment", "store/0000000001.seg");
    assertEquals(SettCli.EXIT_DATA, dump.exitCode(), dump.describe());
    assertEquals("", dump.err(), dump.describe());
    assertTrue(dump.out().contains("DAMAGE at offset 112: record checksum mismatch"), dump.describe());

    Run repair = java(work, "repair", "store");
    assertEquals(SettCli.EXIT_DATA, repair.exitCode(), repair.describe());
    assertEquals("", repair.err(), "no progress drawn when stderr is not a terminal, no warning\n" + repair.describe());
    assertTrue(repair.out().contains("  key \"b\""), repair.describe());

    Run verify = java(work, "verify", "store");
    assertEquals(0, verify.exitCode(), verify.describe());
    Run meta = java(work, "get", "--meta", "store", "c");
    assertEquals(0, meta.exitCode(), meta.describe());
    assertTrue(meta.out().contains("offset    112"), "c moved into b's place: " + meta.describe());
  }
}
