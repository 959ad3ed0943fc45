package com.ingestrouter.sql;

import org.apache.camel.Service;
import com.ingestrouter.errors.Causes;
import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.MissingParentException;
import com.ingestrouter.errors.PermanentFailure;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one SQL database of the application: pool, dialect, migrations, transactions, and the mapping of
 * database errors onto the shared failure policy (transient, missing parent, rejected).
 */
public final class Database implements AutoCloseable, Service {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public Database(String url, String user, String password, int poolSize) {
        this.dialect = Dialect.forUrl(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("ingest-db");
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(5_000);
        // Start without a connection; DependencyWait decides how long to wait and says what it waits for.
        config.setInitializationFailTimeout(-1);
        if (url.startsWith("jdbc:mariadb:")) {
            // MariaDB Connector/J: a JDBC batch goes as one COM_STMT_BULK_EXECUTE (a server-side prepared
            // statement, parameters in binary); UPDATEs and DELETEs too, not only INSERTs. Update counts
            // are then SUCCESS_NO_INFO, which no writer here reads.
            config.addDataSourceProperty("useBulkStmts", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            config.addDataSourceProperty("connectionTimeZone", "UTC");
            config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        } else if (dialect instanceof MySqlDialect) {
            // mysql-connector-j: without rewriting, JDBC batches run at single-row speed on MySQL/MariaDB.
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            config.addDataSourceProperty("useServerPrepStmts", "false");
            // The parsed form of a statement is kept per connection only for text under this length (256
            // by default): BatchWriter's multi-row statements (up to 512 rows) and the IN lists are longer.
            config.addDataSourceProperty("prepStmtCacheSqlLimit", "131072");
            config.addDataSourceProperty("prepStmtCacheSize", "100");
            // Timestamps are UTC in the database whatever the server's zone.
            config.addDataSourceProperty("connectionTimeZone", "UTC");
            config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        }
        if (dialect instanceof PostgresDialect) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        this.dataSource = new HikariDataSource(config);
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }

    public String url() {
        return dataSource.getJdbcUrl();
    }

    /**
     * Whether {@link BatchWriter} builds multi-row INSERTs itself: on mysql-connector-j, whose own batch
     * rewrite (configured above) escapes every string twice. MariaDB Connector/J's bulk protocol and
     * PostgreSQL's reWriteBatchedInserts take the JDBC batch as it is.
     */
    public boolean buildsMultiRowInserts() {
        return dialect instanceof MySqlDialect && url().startsWith("jdbc:mysql:");
    }

    /** Fails unless a connection can be opened and validated. */
    public void ping() throws SQLException {
        try (var c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                throw new SQLException("connection not valid");
            }
        }
    }

    /** Applies this dialect's migrations from {@code db/migration/<dialect>}. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + dialect.name())
                .load()
                .migrate();
    }

    /**
     * Applies the migrations of the operator's pipelines ({@code <routes dir>/migrations/<dialect>}),
     * after the built-in ones. They keep a history table of their own, so their versions start at V1
     * and never clash with the application's.
     */
    public void migrateUserPipelines(java.nio.file.Path routesDir) {
        java.nio.file.Path dir = routesDir.resolve("migrations").resolve(dialect.name());
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("filesystem:" + dir)
                .table("ingest_pipelines_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /**
     * Runs work in one transaction and maps database errors onto the failure policy, so routes only
     * see PermanentFailure, MissingParentException or InfrastructureUnavailable.
     */
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return tx.execute(status -> work.get());
        } catch (DataAccessException e) {
            throw translate(e);
        } catch (CannotCreateTransactionException e) {
            // No connection to begin with (database down, pool exhausted): not a DataAccessException.
            throw new InfrastructureUnavailable("database", e);
        } catch (TransactionException e) {
            // The commit (or rollback) failed: the database says why (a deferred constraint is the row's
            // fault, a lost connection or a serialization failure is not). Without a database error the
            // outcome is unknown, and every write is idempotent, so the message is simply tried again.
            SQLException sql = Causes.find(e, SQLException.class);
            throw sql == null ? new InfrastructureUnavailable("database", e) : failure(dialect.classify(sql), sql.getMessage(), e);
        }
    }

    /** Same mapping for a read or a single statement outside {@link #inTransaction}. */
    public <T> T query(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            throw translate(e);
        }
    }

    /**
     * Runs an insert-if-absent statement from the dialect. Two writers racing on a new key can both pass
     * the absence check; the loser's duplicate-key error means the same as "already there".
     */
    public int insertIfAbsent(String statement, Map<String, ?> row) {
        try {
            return jdbc.update(statement, row);
        } catch (DuplicateKeyException e) {
            return 0;
        }
    }

    /**
     * A database error per the dialect's table. An error Spring raised without a database error under it
     * is transient only when Spring says so (timeouts, resource failures); otherwise (a wrong result
     * size, a type mismatch: a bug or an unexpected value) it is returned as is, for the "unexpected"
     * policy: a few retries, then a dead letter, instead of blocking the queue forever.
     */
    public RuntimeException translate(DataAccessException e) {
        SQLException sql = Causes.find(e, SQLException.class);
        if (sql != null) {
            return failure(dialect.classify(sql), sql.getMessage(), e);
        }
        if (e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException) {
            return new InfrastructureUnavailable("database", e);
        }
        return e;
    }

    private static RuntimeException failure(SqlFailure failure, String text, RuntimeException e) {
        return switch (failure) {
            case REJECTED -> new PermanentFailure(text, e);
            case MISSING_PARENT -> new MissingParentException(text, e);
            case TRANSIENT -> new InfrastructureUnavailable("database", e);
        };
    }


    @Override
    public void start() {
    }

    /** Closed by Camel after the routes have stopped and in-flight messages finished. */
    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
