package io.redisl1.it.differential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One thing an application does on one of the program's connections: a single command, a
 * pipeline, or a MULTI/EXEC block. One text line each ({@link #toString}/{@link #parse}), so a
 * sequence is written to a file for the forked program and printed as is when it fails.
 *
 * @param connection index into the program's connections ({@link DifferentialProgram#CONNECTIONS})
 * @param sleepAfterMillis time to let a short expiry pass before the next step, so that no read
 *     can race it and every reply stays deterministic
 */
record Step(int connection, Kind kind, int sleepAfterMillis, List<List<String>> commands) {
  enum Kind {
    SINGLE,
    PIPELINE,
    MULTI
  }

  static Step parse(String line) {
    String[] head = line.split(" ", 4);
    if (head.length != 4) {
      throw new IllegalArgumentException("not a step: '" + line + "'");
    }
    List<List<String>> commands = new ArrayList<>();
    for (String command : head[3].split(" \\| ")) {
      commands.add(List.of(command.trim().split(" ")));
    }
    return new Step(DifferentialProgram.connectionIndex(head[0]), Kind.valueOf(head[1]), Integer.parseInt(head[2]), commands);
  }

  static Step single(int connection, int sleepAfterMillis, String... command) {
    return new Step(connection, Kind.SINGLE, sleepAfterMillis, List.of(Arrays.asList(command)));
  }

  @Override
  public String toString() {
    StringBuilder line = new StringBuilder(DifferentialProgram.CONNECTIONS.get(connection))
        .append(' ').append(kind).append(' ').append(sleepAfterMillis).append(' ');
    for (int i = 0; i < commands.size(); i++) {
      line.append(i == 0 ? "" : " | ").append(String.join(" ", commands.get(i)));
    }
    return line.toString();
  }
}
