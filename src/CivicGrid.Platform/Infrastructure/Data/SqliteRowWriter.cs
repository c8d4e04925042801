using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// Binds one row's columns to a prepared SQLite INSERT by position, each value typed: compiled once per
/// table from the EF model (<see cref="EntityColumns.ProviderValue"/>). Microsoft.Data.Sqlite looks each
/// parameter up by name on every execution, boxes every value, copies each string into a new UTF-8
/// array and makes a data reader per row; here one statement is bound and stepped. The stored values are
/// the ones Microsoft.Data.Sqlite stores for the same CLR values (its value binder's formats:
/// upper-case Guid text, ISO dates); <c>BulkWriterTests</c> writes the same rows both ways and compares
/// them. A table with a column of another type (TimeSpan, char …) has no such writer and is
/// written through Microsoft.Data.Sqlite.
/// </summary>
internal static class SqliteRowWriter
{
    private static readonly ConcurrentDictionary<EntityColumns, Action<sqlite3_stmt, object>?> Cache = new();

    private static readonly MethodInfo BindNullMethod = Method(nameof(BindNull));

    /// <summary>The typed binder of each column type written here; every other type makes the table fall back.</summary>
    private static readonly Dictionary<Type, MethodInfo> Binders = new()
    {
        [typeof(long)] = Method(nameof(BindInt64)),
        [typeof(double)] = Method(nameof(BindDouble)),
        [typeof(string)] = Method(nameof(BindText)),
        [typeof(byte[])] = Method(nameof(BindBlob)),
        [typeof(Guid)] = Method(nameof(BindGuid)),
        [typeof(DateTimeOffset)] = Method(nameof(BindDateTimeOffset)),
        [typeof(DateTime)] = Method(nameof(BindDateTime)),
        [typeof(DateOnly)] = Method(nameof(BindDateOnly)),
        [typeof(decimal)] = Method(nameof(BindDecimal)),
    };

    /// <summary>Integer types bound as SQLite integers, as Microsoft.Data.Sqlite binds them.</summary>
    private static readonly HashSet<Type> Integers =
        [typeof(int), typeof(short), typeof(byte), typeof(sbyte), typeof(ushort), typeof(uint), typeof(ulong)];

    /// <summary>The binder of <paramref name="columns"/>' values to parameters 1…n, or null when a column's type is not written here.</summary>
    public static Action<sqlite3_stmt, object>? For(EntityColumns columns) => Cache.GetOrAdd(columns, Compile);

    /// <summary>Steps the bound INSERT once and resets it; a failed step throws as Microsoft.Data.Sqlite would.</summary>
    public static void Step(sqlite3_stmt statement, sqlite3 database)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE)
        {
            // The statement's error code is the connection's until the reset.
            var error = new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), rc, raw.sqlite3_extended_errcode(database));
            raw.sqlite3_reset(statement);
            throw error;
        }
        raw.sqlite3_reset(statement);
    }

    private static Action<sqlite3_stmt, object>? Compile(EntityColumns columns)
    {
        var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
        var row = Expression.Parameter(typeof(object), "row");
        var typed = Expression.Variable(columns.ClrType, "typed");
        var body = new List<Expression> { Expression.Assign(typed, Expression.Convert(row, columns.ClrType)) };
        var locals = new List<ParameterExpression> { typed };
        for (var i = 0; i < columns.Names.Count; i++)
        {
            if (columns.ProviderValue(i, typed) is not { } value)
            {
                return null;
            }
            var local = Expression.Variable(value.Type, columns.Names[i]);
            locals.Add(local);
            body.Add(Expression.Assign(local, value));
            var index = Expression.Constant(i + 1);
            var underlying = Nullable.GetUnderlyingType(value.Type);
            Expression present = underlying is null ? local : Expression.Property(local, "Value");
            if (Bind(statement, index, present) is not { } bind)
            {
                return null;
            }
            var bindNull = Expression.Call(BindNullMethod, statement, index);
            body.Add(underlying is not null
                ? Expression.IfThenElse(Expression.Property(local, "HasValue"), bind, bindNull)
                : value.Type.IsValueType
                    ? bind
                    : Expression.IfThenElse(Expression.ReferenceEqual(local, Expression.Constant(null, value.Type)), bindNull, bind));
        }
        return Expression.Lambda<Action<sqlite3_stmt, object>>(Expression.Block(locals, body), statement, row).Compile();
    }

    /// <summary>The call binding a non-null <paramref name="value"/>, or null for a type not written here.</summary>
    private static MethodCallExpression? Bind(ParameterExpression statement, ConstantExpression index, Expression value)
    {
        var type = value.Type.IsEnum ? Enum.GetUnderlyingType(value.Type) : value.Type;
        if (value.Type.IsEnum)
        {
            value = Expression.Convert(value, type);
        }
        if (type == typeof(bool))
        {
            value = Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L));
            type = typeof(long);
        }
        else if (Integers.Contains(type))
        {
            value = Expression.Convert(value, typeof(long));
            type = typeof(long);
        }
        else if (type == typeof(float))
        {
            value = Expression.Convert(value, typeof(double));
            type = typeof(double);
        }
        return Binders.TryGetValue(type, out var method) ? Expression.Call(method, statement, index, value) : null;
    }

    private static MethodInfo Method(string name) => typeof(SqliteRowWriter).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void Check(sqlite3_stmt statement, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, raw.sqlite3_db_handle(statement));
        }
    }

    private static void BindNull(sqlite3_stmt statement, int index) => Check(statement, raw.sqlite3_bind_null(statement, index));

    private static void BindInt64(sqlite3_stmt statement, int index, long value) =>
        Check(statement, raw.sqlite3_bind_int64(statement, index, value));

    private static void BindDouble(sqlite3_stmt statement, int index, double value)
    {
        if (double.IsNaN(value))
        {
            // Microsoft.Data.Sqlite refuses NaN too (SQLite would store it as NULL).
            throw new InvalidOperationException("Cannot store 'NaN' values.");
        }
        Check(statement, raw.sqlite3_bind_double(statement, index, value));
    }

    private static void BindText(sqlite3_stmt statement, int index, string value) =>
        // An empty span would bind a null pointer, which SQLite stores as NULL: "" goes the way
        // Microsoft.Data.Sqlite sends every string.
        Check(statement, value.Length == 0 ? raw.sqlite3_bind_text(statement, index, value) : raw.sqlite3_bind_text16(statement, index, value.AsSpan()));

    private static void BindChars(sqlite3_stmt statement, int index, ReadOnlySpan<char> value) =>
        Check(statement, raw.sqlite3_bind_text16(statement, index, value));

    private static void BindBlob(sqlite3_stmt statement, int index, byte[] value) =>
        Check(statement, raw.sqlite3_bind_blob(statement, index, value));

    private static void BindGuid(sqlite3_stmt statement, int index, Guid value)
    {
        Span<char> text = stackalloc char[36];
        value.TryFormat(text, out _);
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }
        BindChars(statement, index, text);
    }

    private static void BindDateTimeOffset(sqlite3_stmt statement, int index, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[64];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        BindChars(statement, index, text[..written]);
    }

    private static void BindDateTime(sqlite3_stmt statement, int index, DateTime value)
    {
        Span<char> text = stackalloc char[64];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
        BindChars(statement, index, text[..written]);
    }

    private static void BindDecimal(sqlite3_stmt statement, int index, decimal value)
    {
        Span<char> text = stackalloc char[64];
        value.TryFormat(text, out var written, "0.0###########################", CultureInfo.InvariantCulture);
        BindChars(statement, index, text[..written]);
    }

    private static void BindDateOnly(sqlite3_stmt statement, int index, DateOnly value)
    {
        Span<char> text = stackalloc char[16];
        value.TryFormat(text, out var written, @"yyyy\-MM\-dd", CultureInfo.InvariantCulture);
        BindChars(statement, index, text[..written]);
    }
}
