package example.flags;

import dev.sett.quickstart.QuickStart;
import java.nio.file.Path;

/** Runs the README's Quick start (copied in by prebuild.groovy) on the store directory given. */
public final class Main {
  private Main() {
  }

  /**
   * Prints what the Quick start prints.
   *
   * @param args the store directory
   */
  public static void main(String[] args) {
    QuickStart.run(Path.of(args[0])).forEach(System.out::println);
  }
}
