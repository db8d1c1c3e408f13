package dev.sett.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh JVM running one of store-bench's classes: the same {@code java} binary and class path as
 * this JVM, the flags every Sett JVM needs ({@link BenchJvm}) and a heap limit. Its standard output
 * is read line by line by the parent; its standard error goes to the parent's. The JVM is started
 * when the object is made, so the caller can time from just before the constructor.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final String mainClass;

  ChildJvm(String maxHeap, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.addAll(List.of(BenchJvm.ADD_OPENS_REFLECT, BenchJvm.ADD_EXPORTS_NIO, BenchJvm.ADD_EXPORTS_REF,
        BenchJvm.NATIVE_ACCESS, BenchJvm.IGNORE_UNKNOWN, BenchJvm.UNSAFE_MEMORY_ACCESS, BenchJvm.NO_PERF_INFO));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    mainClass = main.getSimpleName();
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The child's next line of output; fails if it ended (or died) before writing one. */
  String readLine() throws IOException, InterruptedException {
    String line = out.readLine();
    if (line == null) {
      int status = process.waitFor();
      throw new IOException(mainClass + " ended with status " + status + " before it wrote what was expected");
    }
    return line;
  }

  /** Reads lines until one is {@code "name value"}, and returns the value. */
  String await(String name) throws IOException, InterruptedException {
    while (true) {
      String line = readLine();
      if (line.startsWith(name + " ")) {
        return line.substring(name.length() + 1).trim();
      }
      System.out.println("  " + mainClass + ": " + line);
    }
  }

  /** Kills the child with SIGKILL (on Linux: as {@code kill -9} does) and waits for it to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits for the child to exit and fails unless it exited with status 0. */
  void awaitExit() throws IOException, InterruptedException {
    while (out.readLine() != null) {
      // drained: the child's remaining output is not needed
    }
    int status = process.waitFor();
    if (status != 0) {
      throw new IOException(mainClass + " exited with status " + status);
    }
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    out.close();
  }
}
