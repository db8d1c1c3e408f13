package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@link Progress}: a bar when enabled, nothing at all when not. */
class ProgressTest {
  @Test
  void anEnabledBarDrawsItsLabelAndEndsAtTheTotalOnALineOfItsOwn() {
    StringWriter err = new StringWriter();
    Progress p = new Progress(new PrintWriter(err, true), true);
    p.start("loading records", 200);
    for (int i = 1; i <= 200; i++) {
      p.update(i);
    }
    p.finish();
    String drawn = err.toString();
    assertTrue(drawn.contains("loading records"), drawn);
    assertTrue(drawn.contains("100%"), drawn);
    assertTrue(drawn.contains("200/200"), drawn);
    assertTrue(drawn.endsWith(System.lineSeparator()), drawn);
  }

  @Test
  void anIndefiniteBarShowsItsLabelUntilFinished() {
    StringWriter err = new StringWriter();
    Progress p = new Progress(new PrintWriter(err, true), true);
    p.startIndefinite("verifying store");
    p.finish();
    assertTrue(err.toString().contains("verifying store"), err.toString());
    assertTrue(err.toString().matches("(?s).*verifying store done 0:00\\s*\\R"), "ends with the elapsed time: " + err);
  }

  @Test
  void aDisabledBarDrawsNothing() {
    StringWriter err = new StringWriter();
    Progress p = new Progress(new PrintWriter(err, true), false);
    p.start("loading", 10);
    p.update(5);
    p.abandon();
    p.startIndefinite("x");
    p.finish();
    assertEquals("", err.toString());
  }
}
