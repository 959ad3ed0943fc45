package com.ingestrouter.observe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The one place that takes credentials out of text the app shows: /health, /status, stored pull sources,
 * HTTP error bodies, dead-letter envelopes, and every log line (logback's {@code %msg} and {@code %ex} go
 * through {@link RedactingMessageConverter}). Two layers:
 * <ul>
 *   <li>by shape: URL user info ({@code scheme://user:pass@}), {@code password=}, {@code user=}, {@code token=}
 *       and similar parameters after {@code ?}, {@code &} or {@code ;} (JDBC URLs of every dialect), and the
 *       user a database names in "Access denied for user 'x'" / "failed for user "x"";</li>
 *   <li>by value: every configured password and token, wherever it appears, so a driver message that
 *       echoes one in a form we did not foresee is still covered.</li>
 * </ul>
 */
public final class Redaction {
    public static final String MASK = "***";
    /** Values shorter than this are not masked by value: "sa" or "ab" would garble unrelated text. */
    private static final int MIN_SECRET_LENGTH = 4;
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s\"'?#]+@");
    /** Parameters whose value is a secret: masked by shape, and registered by value from the configuration. */
    private static final String SECRET_NAMES =
            "[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|apikey|api_key|api-key|credentials?)|access_key|sig|signature";
    /** Parameters naming the user: masked by shape only (a user name like "ingest" is also an ordinary word). */
    private static final String USER_NAMES = "user|username|user_name|auth|authorization";
    private static final Pattern PARAMETER = parameter(SECRET_NAMES + "|" + USER_NAMES);
    private static final Pattern SECRET_PARAMETER = parameter(SECRET_NAMES);
    private static final Pattern DENIED_USER = Pattern.compile("(?i)(for user |user name )(['\"])[^'\"]*\\2");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static volatile List<Secret> secrets = List.of();

    private Redaction() {
    }

    /**
     * The text with every credential replaced by {@value #MASK}; null stays null. Every log line passes
     * here, so each pattern runs only when a cheap test says it could match.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (out.contains("://")) {
            out = USER_INFO.matcher(out).replaceAll(MASK + "@");
        }
        if (out.indexOf('=') >= 0) {
            out = PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + (m.group(2).isEmpty() ? "" : MASK)));
        }
        if (out.indexOf('\'') >= 0 || out.indexOf('"') >= 0) {
            out = DENIED_USER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK + m.group(2)));
        }
        for (Secret secret : secrets) {
            if (out.contains(secret.value())) {
                out = secret.pattern().matcher(out).replaceAll(MASK);
            }
        }
        return out;
    }

    private static Pattern parameter(String names) {
        return Pattern.compile("(?i)(?<![A-Za-z0-9_])(" + names + ")=([^&;\\s\"'<>,)}\\]]*)");
    }

    /** Masks this value wherever it appears from now on (passwords, tokens). */
    public static void registerSecret(String value) {
        if (value == null) {
            return;
        }
        String trimmed = value.trim();
        if (trimmed.length() < MIN_SECRET_LENGTH || !SECRETS.add(trimmed)) {
            return;
        }
        // Longest first, so a secret that contains another is masked whole.
        secrets = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(s -> new Secret(s, Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(s) + "(?![A-Za-z0-9])"))).toList();
    }

    /**
     * The secrets held in the configuration: plain values, and those inside the configured URLs. User
     * names are left to the shapes above: registered by value, a user "ingest" would mask every
     * "ingest-router" in the log.
     */
    public static void registerSecrets(PropertiesComponent properties) {
        for (String key : List.of("ingest.db.password", "ingest.admin.token", "ingest.management.password")) {
            properties.resolveProperty(key).ifPresent(Redaction::registerSecret);
        }
        for (String key : List.of("ingest.db.url", "ingest.rabbitmq.url", "ingest.redis.url", "ingest.posts.url")) {
            properties.resolveProperty(key).ifPresent(Redaction::registerSecretsOfUrl);
        }
    }

    /** The password of a URL's user info and its secret parameter values, raw and percent-decoded. */
    static void registerSecretsOfUrl(String url) {
        Matcher info = USER_INFO.matcher(url);
        while (info.find()) {
            String[] userInfo = info.group().substring(0, info.group().length() - 1).split(":", 2);
            if (userInfo.length == 2) {
                registerEncodedSecret(userInfo[1]);
            }
        }
        Matcher parameter = SECRET_PARAMETER.matcher(url);
        while (parameter.find()) {
            registerEncodedSecret(parameter.group(2));
        }
    }

    private static void registerEncodedSecret(String raw) {
        registerSecret(raw);
        try {
            registerSecret(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notEncoded) {
            // a stray % : the raw value is registered already
        }
    }

    private record Secret(String value, Pattern pattern) {
    }
}
