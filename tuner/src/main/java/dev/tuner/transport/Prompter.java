package dev.tuner.transport;

import java.io.Console;

/**
 * Asks the person at the terminal for a secret (key passphrase, ssh password, sudo password).
 * Secrets never come from playbooks or inventories: only from the environment, ssh-agent, key
 * files or this prompt.
 */
@FunctionalInterface
public interface Prompter {
    /** The answer, or null when nobody can be asked (no terminal) or the person gave none. */
    String secret(String prompt);

    /** For runs without a terminal (cron, CI): every question goes unanswered. */
    static Prompter none() {
        return prompt -> null;
    }

    /** Reads from the controlling terminal without echo; {@link #none()} when there is no terminal. */
    static Prompter console() {
        Console console = System.console();
        if (console == null) return none();
        Prompter ask = prompt -> {
            // Several hosts connect in parallel; one question at a time on the terminal.
            synchronized (Prompter.class) {
                char[] answer = console.readPassword("%s", prompt);
                return answer == null ? null : new String(answer);
            }
        };
        return ask.remembering();
    }

    /**
     * Asks each distinct question once per run: a key passphrase is needed again for every host,
     * and nobody wants to type it thirty times. Unanswered questions are asked again.
     */
    default Prompter remembering() {
        java.util.Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
        return prompt -> {
            String known = answers.get(prompt);
            if (known != null) return known;
            String answer = secret(prompt);
            if (answer != null) answers.put(prompt, answer);
            return answer;
        };
    }
}
