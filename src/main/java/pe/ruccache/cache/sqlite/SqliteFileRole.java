package pe.ruccache.cache.sqlite;

import java.util.Objects;

/**
 * What an SQLite file is to the user, so that one set of messages serves every file the tool keeps: the cache, the
 * padrón snapshot.
 *
 * @param file how messages name the file, e.g. {@code cache file}
 * @param folder how messages name its folder, e.g. {@code cache folder}
 * @param damagedAdvice what to do with a file SQLite cannot read, e.g. {@code move it aside to start a new cache}
 */
public record SqliteFileRole(String file, String folder, String damagedAdvice) {

    /** The cache: the store of answers. */
    public static final SqliteFileRole CACHE = new SqliteFileRole("cache file", "cache folder",
            "move it aside to start a new cache");

    /** Checks that every part is present. */
    public SqliteFileRole {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(damagedAdvice, "damagedAdvice");
    }
}
