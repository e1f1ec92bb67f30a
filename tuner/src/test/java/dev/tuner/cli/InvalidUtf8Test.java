package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file saved in Latin-1 (or holding any byte that is not UTF-8) is named with the line and column of that byte. */
class InvalidUtf8Test {
    @TempDir
    Path dir;

    /** Writes {@code before}, one byte 0xE9 (é in Latin-1), then {@code after}; returns where an editor shows that byte. */
    private String writeWithLatin1Byte(Path file, String before, String after) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(before.getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9);
        bytes.write(after.getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        String[] lines = before.split("\n", -1);
        int column = lines[lines.length - 1].codePointCount(0, lines[lines.length - 1].length()) + 1;
        return file.getFileName() + ":" + lines.length + ":" + column;
    }

    @Test
    void playbookVarsFileInventoryAndTemplateNameTheBadByte() throws Exception {
        String playbookAt = writeWithLatin1Byte(dir.resolve("site.yml"),
                "- name: Café ünd\n  hosts: all\n  vars_files: [vars.yml]\n  tasks:\n    - name: caf", "\n      sysctl: {vm.swappiness: 10}\n");
        String varsAt = writeWithLatin1Byte(dir.resolve("vars.yml"), "# naïve\nmotto: \"d", "j\u00e0 vu\"\n");
        String inventoryAt = writeWithLatin1Byte(dir.resolve("hosts.ini"), "[db]\ndb01 motto=caf", "\n");

        TunerCli.Result r = TunerCli.run("validate", dir.resolve("site.yml").toString(), "-i", dir.resolve("hosts.ini").toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Input length")
                .contains(inventoryAt + ": cannot read inventory: not valid UTF-8 (byte 0xE9)");
        TunerCli.Result alone = TunerCli.run("validate", dir.resolve("site.yml").toString());
        assertThat(alone.err()).contains(playbookAt + ": cannot read playbook: not valid UTF-8 (byte 0xE9)");

        Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  vars_files: [vars.yml]\n  tasks:\n    - name: t\n      sysctl: {vm.swappiness: 10}\n");
        TunerCli.Result vars = TunerCli.run("validate", dir.resolve("site.yml").toString());
        assertThat(vars.err()).contains(varsAt + ": cannot read vars file: not valid UTF-8 (byte 0xE9)");

        String templateAt = writeWithLatin1Byte(dir.resolve("motd.ftl"), "Bienvenue\nà ", "tous\n");
        Files.writeString(dir.resolve("site.yml"),
                "- hosts: all\n  tasks:\n    - name: t\n      template: {src: motd.ftl, dest: /etc/motd}\n");
        TunerCli.Result template = TunerCli.run("validate", dir.resolve("site.yml").toString());
        assertThat(template.err()).contains(dir.resolve(templateAt) + ": cannot read template: not valid UTF-8 (byte 0xE9)");
    }
}
