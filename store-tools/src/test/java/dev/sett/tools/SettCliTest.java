package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and error output of the {@code sett} command line. */
class SettCliTest {

  @Test
  void infoOnADirectoryThatIsNotAStoreExitsThreeWithOneLineAndNoStackTrace(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "not a store");
    Cli run = Cli.run("info", dir.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals("", run.out(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
    assertTrue(run.err().startsWith("sett: " + dir + " is not a Sett store"), run.describe());
    assertFalse(run.err().contains("\tat "), run.describe());
    assertFalse(run.err().contains("Exception"), run.describe());
  }

  @Test
  void infoOnAMissingDirectoryExitsThree(@TempDir Path dir) {
    Cli run = Cli.run("info", dir.resolve("absent").toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
    assertFalse(Files.exists(dir.resolve("absent")), "a read-only info must not create the directory");
  }

  @Test
  void verboseAddsTheStackTraceToAnError(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "not a store");
    Cli run = Cli.run("info", "--verbose", dir.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("NotAStoreException"), run.describe());
    assertTrue(run.err().contains("\tat "), run.describe());
  }

  @Test
  void verboseIsAlsoAcceptedBeforeTheSubcommand(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "not a store");
    Cli run = Cli.run("--verbose", "info", dir.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("\tat "), run.describe());
  }

  @Test
  void unknownSubcommandExitsTwo() {
    Cli run = Cli.run("frobnicate");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("frobnicate"), run.describe());
  }

  @Test
  void missingSubcommandExitsTwoAndShowsUsage() {
    Cli run = Cli.run();
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("Usage: sett"), run.describe());
  }

  @Test
  void helpListsTheSubcommandsAndExitCodes() {
    Cli run = Cli.run("--help");
    assertEquals(0, run.exitCode(), run.describe());
    for (String command : new String[] {"demo", "info", "get", "scan", "export", "put", "delete", "load"}) {
      assertTrue(run.out().contains("\n  " + command + " "), command + "\n" + run.describe());
    }
    assertTrue(run.out().contains("Exit codes:"), run.describe());
  }

  @Test
  void helpCommandShowsTheToolOrOneCommand() {
    Cli all = Cli.run("help");
    assertEquals(0, all.exitCode(), all.describe());
    assertTrue(all.out().contains("Usage: sett"), all.describe());
    assertTrue(all.out().contains("\n  dump-segment "), all.describe());
    Cli one = Cli.run("help", "verify");
    assertEquals(0, one.exitCode(), one.describe());
    assertTrue(one.out().contains("Usage: sett verify"), one.describe());
    Cli unknown = Cli.run("help", "no-such-command");
    assertEquals(SettCli.EXIT_USAGE, unknown.exitCode(), unknown.describe());
  }

  @Test
  void versionNamesSettAndTheJavaRuntime() {
    Cli run = Cli.run("--version");
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("sett "), run.describe());
    assertTrue(run.out().contains("Java " + Runtime.version()), run.describe());
  }
}
