package io.redisl1.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's settings table lists every declared setting once, with the default it really has. */
class ReadmeSettingsTest {
  @Test
  void everySettingIsInTheReadmeTableOnceWithItsDefault() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("../README.md")).stream()
            .filter(l -> l.startsWith("| `"))
            .collect(Collectors.toList());
    for (Setting<?> setting : Settings.ALL) {
      List<String> mine = rows.stream().filter(r -> r.startsWith("| `" + setting.name + "` |")).collect(Collectors.toList());
      assertEquals(1, mine.size(), setting.name + " in " + rows);
      String shown = setting.defaultText.isEmpty() ? "none" : "`" + setting.defaultText + "`";
      assertTrue(mine.get(0).startsWith("| `" + setting.name + "` | " + shown + " |"), mine.get(0));
    }
    assertEquals(Settings.ALL.size(), rows.size(), "no row without a setting: " + rows);
  }
}
