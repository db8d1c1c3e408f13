package dev.sett.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link ChildProcessMain} in a separate JVM with the test classpath. */
final class ChildProcess implements AutoCloseable {
  final Process process;
  final BufferedReader out;

  private ChildProcess(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** A child with Sett's JVM flags, or without any when {@code withFlags} is false. */
  static ChildProcess start(boolean withFlags, String... args) throws IOException {
    return start(withFlags, List.of(), args);
  }

  /** As {@link #start(boolean, String...)}, with extra JVM options such as system properties. */
  static ChildProcess start(boolean withFlags, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (withFlags) {
      cmd.addAll(Arrays.asList(ChronicleSupport.requiredFlags().split(" ")));
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ChildProcessMain.class.getName());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildProcess(pb.start());
  }

  /** Reads lines until one starts with {@code prefix}; returns it, or null at end of output. */
  String awaitLine(String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

  /** SIGKILL: no shutdown hooks, no close, no flush. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      kill();
    }
    out.close();
  }
}
