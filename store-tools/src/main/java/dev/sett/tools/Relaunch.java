package dev.sett.tools;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Restarts {@code java -jar sett.jar} on JDK 24 and later with
 * {@code --sun-misc-unsafe-memory-access=allow}, so the tool prints no JVM warnings there.
 *
 * <p>Chronicle Bytes reads mapped memory through {@code sun.misc.Unsafe}; from JDK 24 the JVM warns
 * on its first use unless that flag is given (JEP 498). The jar's manifest carries the other flags
 * Sett needs ({@code Add-Opens}, {@code Add-Exports}, {@code Enable-Native-Access}), but no manifest
 * attribute exists for this one, so the tool starts a second JVM with the same options and arguments
 * plus the flag, hands it the terminal, and exits with its exit code. It does so only when the user
 * chose nothing: if {@code --sun-misc-unsafe-memory-access} was given (any value), or
 * {@code -Dsett.relaunch=false}, or the tool runs from a class path rather than a jar, this JVM
 * goes on as it is. Called once, from {@code main}, before anything loads Chronicle.
 */
final class Relaunch {
  static final String FLAG = "--sun-misc-unsafe-memory-access=allow";
  /** Set on the second JVM, so that it never starts a third. */
  static final String MARKER = "-Dsett.relaunched=true";

  private Relaunch() {
  }

  /**
   * Runs the tool in a second JVM if this one needs the flag, and returns that JVM's exit code; empty
   * if this JVM should run the tool itself.
   */
  static OptionalInt ifNeeded(String[] args) {
    if (Runtime.version().feature() < 24) {
      return OptionalInt.empty(); // before reading the JVM's options through JMX, which costs a start-up
    }
    Optional<List<String>> command = command(Runtime.version().feature(),
        System.getProperty("sun.misc.unsafe.memory.access"), System.getProperty("sett.relaunch"),
        System.getProperty("sett.relaunched"), System.getProperty("sun.java.command", ""),
        System.getProperty("java.class.path", ""), System.getProperty("java.home"),
        ManagementFactory.getRuntimeMXBean().getInputArguments(), args);
    if (command.isEmpty()) {
      return OptionalInt.empty();
    }
    Process child;
    try {
      child = new ProcessBuilder(command.get()).inheritIO().start();
    } catch (IOException e) {
      return OptionalInt.empty(); // this JVM can still do the work, only with the warnings
    }
    // Ctrl-C reaches both JVMs (one process group); a kill of this one alone must not orphan the other.
    Thread stop = new Thread(child::destroy, "sett-relaunch-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    while (true) {
      try {
        int code = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return OptionalInt.of(code);
      } catch (InterruptedException e) {
        // nothing here interrupts main on purpose; keep waiting for the child
      } catch (IllegalStateException e) {
        return OptionalInt.of(child.exitValue()); // shutdown already under way
      }
    }
  }

  /**
   * The second JVM's command line, or empty when this JVM runs the tool. Pure, for tests.
   *
   * @param feature the running JDK's feature version
   * @param unsafeAccess the system property {@code sun.misc.unsafe.memory.access}: set by the JVM
   *     when {@code --sun-misc-unsafe-memory-access} was given
   * @param relaunch the system property {@code sett.relaunch} ({@code false} turns this off)
   * @param relaunched the system property {@code sett.relaunched}, set on a second JVM
   * @param javaCommand the system property {@code sun.java.command}: the jar's path and the arguments
   *     under {@code java -jar}
   * @param classPath the system property {@code java.class.path}
   * @param javaHome the running JDK
   * @param jvmOptions this JVM's options, which the second one gets too
   * @param args the tool's arguments
   */
  static Optional<List<String>> command(int feature, String unsafeAccess, String relaunch, String relaunched,
      String javaCommand, String classPath, String javaHome, List<String> jvmOptions, String[] args) {
    if (feature < 24 || unsafeAccess != null || "false".equals(relaunch) || relaunched != null
        || javaHome == null) {
      return Optional.empty();
    }
    // Under java -jar the class path is exactly the jar, and the command starts with its path.
    if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")
        || !(javaCommand.equals(classPath) || javaCommand.startsWith(classPath + " "))) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome, "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add(FLAG);
    cmd.add(MARKER);
    cmd.add("-jar");
    cmd.add(classPath);
    cmd.addAll(Arrays.asList(args));
    return Optional.of(cmd);
  }
}
