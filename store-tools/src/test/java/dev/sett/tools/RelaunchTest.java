package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelaunchTest {
  private static final String JAR = "/opt/sett/sett.jar";
  private static final List<String> OPTIONS = List.of("-Xmx1g", "-Dfoo=bar");
  private static final String[] ARGS = {"info", "--json", "/data/store"};

  private static Optional<List<String>> command(int feature, String unsafeAccess, String relaunch,
      String relaunched, String javaCommand, String classPath) {
    return Relaunch.command(feature, unsafeAccess, relaunch, relaunched, javaCommand, classPath, "/jdk",
        OPTIONS, ARGS);
  }

  @Test
  void jarOnJdk24WithoutTheFlagRunsAgainWithItAndTheSameOptionsAndArguments() {
    Optional<List<String>> cmd = command(24, null, null, null, JAR + " info --json /data/store", JAR);
    assertEquals(Optional.of(List.of("/jdk/bin/java", "-Xmx1g", "-Dfoo=bar", Relaunch.FLAG, Relaunch.MARKER,
        "-jar", JAR, "info", "--json", "/data/store")), cmd);
  }

  @Test
  void jarWithoutArgumentsIsRelaunchedToo() {
    assertTrue(command(25, null, null, null, JAR, JAR).isPresent());
  }

  @Test
  void jdksBefore24NeverRelaunch() {
    assertEquals(Optional.empty(), command(17, null, null, null, JAR, JAR));
    assertEquals(Optional.empty(), command(23, null, null, null, JAR, JAR));
  }

  @Test
  void aUserChoiceOfUnsafeMemoryAccessIsKept() {
    assertEquals(Optional.empty(), command(25, "warn", null, null, JAR, JAR));
    assertEquals(Optional.empty(), command(25, "allow", null, null, JAR, JAR));
    assertEquals(Optional.empty(), command(25, "deny", null, null, JAR, JAR), "deny is reported, not overridden");
  }

  @Test
  void relaunchFalseAndASecondJvmNeverRelaunch() {
    assertEquals(Optional.empty(), command(25, null, "false", null, JAR, JAR));
    assertEquals(Optional.empty(), command(25, null, null, "true", JAR, JAR));
  }

  @Test
  void aClassPathRunIsNotAJarRunAndIsNotRelaunched() {
    assertEquals(Optional.empty(), command(25, null, null, null, "dev.sett.tools.SettCli info",
        "/a/classes:/b/lib.jar"));
    assertEquals(Optional.empty(), command(25, null, null, null, "dev.sett.tools.SettCli", JAR),
        "-cp sett.jar with a main class: the command does not start with the jar");
    assertEquals(Optional.empty(), command(25, null, null, null, "x", "/a/classes"));
  }
}
