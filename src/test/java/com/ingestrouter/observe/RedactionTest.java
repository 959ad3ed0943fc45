package com.ingestrouter.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Credentials in the shapes the app meets them: every dialect's JDBC URL, broker URLs, pulled API URLs, driver messages. */
class RedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:mysql://db:3306/ingest?user=app&password=s3cret&useSSL=true        | jdbc:mysql://db:3306/ingest?user=***&password=***&useSSL=true
            jdbc:mariadb://db/ingest?password=s3cret                               | jdbc:mariadb://db/ingest?password=***
            jdbc:postgresql://db/ingest?user=app&password=s3cret                   | jdbc:postgresql://db/ingest?user=***&password=***
            jdbc:sqlserver://db:1433;databaseName=ingest;user=sa;password=s3cret;  | jdbc:sqlserver://db:1433;databaseName=ingest;user=***;password=***;
            jdbc:h2:file:./data/ingest;MODE=Regular;USER=sa;PASSWORD=s3cret        | jdbc:h2:file:./data/ingest;MODE=Regular;USER=***;PASSWORD=***
            jdbc:h2:file:./data/ingest;MODE=Regular;DB_CLOSE_DELAY=-1              | jdbc:h2:file:./data/ingest;MODE=Regular;DB_CLOSE_DELAY=-1
            amqp://ingest:s3cret@rabbitmq:5672/                                    | amqp://***@rabbitmq:5672/
            redis://:s3cret@redis:6379/6                                           | redis://***@redis:6379/6
            redis://localhost:6379                                                 | redis://localhost:6379
            https://api.example/posts?access_token=abc123&page=2                   | https://api.example/posts?access_token=***&page=2
            https://api.example/posts?apikey=abc123                                | https://api.example/posts?apikey=***
            https://u:p@api.example/posts                                          | https://***@api.example/posts
            failed after 3 attempts: HTTP 503 from http://h/posts?token=abc123     | failed after 3 attempts: HTTP 503 from http://h/posts?token=***
            Access denied for user 'ingest'@'10.0.0.7' (using password: YES)       | Access denied for user '***'@'10.0.0.7' (using password: YES)
            FATAL: password authentication failed for user "ingest"                | FATAL: password authentication failed for user "***"
            Login failed for user 'sa'.                                            | Login failed for user '***'.
            string found, integer expected                                         | string found, integer expected
            """)
    void credentialsAreMaskedAndTheRestIsKept(String text, String expected) {
        assertThat(Redaction.redact(text)).isEqualTo(expected);
    }

    @Test
    void aRegisteredSecretIsMaskedWhereverItAppearsButNotInsideOtherWords() {
        Redaction.registerSecret("Xq7-unit-secret");
        assertThat(Redaction.redact("auth failed: Xq7-unit-secret rejected")).isEqualTo("auth failed: *** rejected");
        assertThat(Redaction.redact("aXq7-unit-secrets stays")).isEqualTo("aXq7-unit-secrets stays");
    }

    @Test
    void thePasswordOfAConfiguredUrlIsRegisteredRawAndDecodedButNotItsUser() {
        Redaction.registerSecretsOfUrl("amqp://ingest:p%40ss-word-9@host:5672/");
        Redaction.registerSecretsOfUrl("https://api.example/posts?user=ingest&access_token=tok-unit-77");
        assertThat(Redaction.redact("the broker said: bad password p@ss-word-9 (p%40ss-word-9) for tok-unit-77"))
                .isEqualTo("the broker said: bad password *** (***) for ***");
        assertThat(Redaction.redact("ingest-router started")).isEqualTo("ingest-router started");
    }

    @Test
    void nullAndEmptyStayAsTheyAre() {
        assertThat(Redaction.redact(null)).isNull();
        assertThat(Redaction.redact("")).isEmpty();
    }
}
