using Microsoft.Data.Sqlite;
using Disclosure.Storage.Mongo;
using Disclosure.Storage.Sqlite;
using MongoDB.Driver;

namespace Disclosure.Storage;

/// <summary>Which store the configuration selects and where it is, said once at start: never with a password.</summary>
public static class StoreDescription
{
    /// <summary>The SQLite file's full path (relative paths are the working directory's, as SQLite opens them); null for MongoDB.</summary>
    public static string? SqlitePath(StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.UsesMongo ? null : Path.GetFullPath(new SqliteConnectionStringBuilder(storage.Sqlite).DataSource);
    }

    /// <summary>
    /// One line for the log once the store has started: SQLite with its file's full path, whether this start created it and its schema
    /// version; or MongoDB with its hosts, database and schema version. <paramref name="created"/> says whether the SQLite file was
    /// missing before the start.
    /// </summary>
    public static string Describe(StorageSettings storage, MongoSettings mongo, bool created)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(mongo);
        if (!storage.UsesMongo)
            return $"Store: SQLite file {SqlitePath(storage)} ({(created ? "created new" : "existing")}), schema version {SqliteSchema.Version}";
        var url = MongoUrl.Create(storage.Mongo);
        return $"Store: MongoDB at {string.Join(",", url.Servers)}{(url.ReplicaSetName is { } rs ? $" (replica set {rs})" : "")}, " +
            $"database {MongoStore.DatabaseName(storage.Mongo!, mongo)}, schema version {MongoSchema.Version}";
    }
}
