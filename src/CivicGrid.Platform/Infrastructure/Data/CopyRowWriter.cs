using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Npgsql;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// Writes one row's columns into a binary COPY with each value typed: compiled once per table from the EF
/// model (<see cref="EntityColumns.ProviderValue"/>), so a value is neither boxed nor resolved to a
/// PostgreSQL type by its runtime type, as <c>Write(object)</c> does for every value. The bytes on the
/// wire are the same: Npgsql maps a CLR type to the same PostgreSQL type either way.
/// </summary>
internal static class CopyRowWriter
{
    private static readonly ConcurrentDictionary<EntityColumns, Action<NpgsqlBinaryImporter, object>> Cache = new();

    private static readonly MethodInfo WriteGeneric = typeof(NpgsqlBinaryImporter).GetMethods()
        .Single(m => m.Name == nameof(NpgsqlBinaryImporter.Write) && m.IsGenericMethodDefinition && m.GetParameters().Length == 1);

    private static readonly MethodInfo WriteNull = typeof(NpgsqlBinaryImporter).GetMethod(nameof(NpgsqlBinaryImporter.WriteNull))!;

    private static readonly MethodInfo WriteBoxed = typeof(CopyRowWriter).GetMethod(nameof(Boxed), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The writer of <paramref name="columns"/>' values, in their order, for a row of their table.</summary>
    public static Action<NpgsqlBinaryImporter, object> For(EntityColumns columns) => Cache.GetOrAdd(columns, Compile);

    private static Action<NpgsqlBinaryImporter, object> Compile(EntityColumns columns)
    {
        var importer = Expression.Parameter(typeof(NpgsqlBinaryImporter), "importer");
        var row = Expression.Parameter(typeof(object), "row");
        var typed = Expression.Variable(columns.ClrType, "typed");
        var body = new List<Expression> { Expression.Assign(typed, Expression.Convert(row, columns.ClrType)) };
        var locals = new List<ParameterExpression> { typed };
        for (var i = 0; i < columns.Names.Count; i++)
        {
            if (columns.ProviderValue(i, typed) is not { } value)
            {
                body.Add(Expression.Call(WriteBoxed, importer, Expression.Constant(columns), row, Expression.Constant(i)));
                continue;
            }
            var local = Expression.Variable(value.Type, columns.Names[i]);
            locals.Add(local);
            body.Add(Expression.Assign(local, value));
            var underlying = Nullable.GetUnderlyingType(value.Type);
            if (underlying is not null)
            {
                body.Add(Expression.IfThenElse(Expression.Property(local, "HasValue"),
                    Expression.Call(importer, WriteGeneric.MakeGenericMethod(underlying), Expression.Property(local, "Value")),
                    Expression.Call(importer, WriteNull)));
            }
            else if (!value.Type.IsValueType)
            {
                body.Add(Expression.IfThenElse(Expression.ReferenceEqual(local, Expression.Constant(null, value.Type)),
                    Expression.Call(importer, WriteNull),
                    Expression.Call(importer, WriteGeneric.MakeGenericMethod(value.Type), local)));
            }
            else
            {
                body.Add(Expression.Call(importer, WriteGeneric.MakeGenericMethod(value.Type), local));
            }
        }
        return Expression.Lambda<Action<NpgsqlBinaryImporter, object>>(Expression.Block(locals, body), importer, row).Compile();
    }

    /// <summary>A column that cannot be read typed: its value boxed, the type found from the value.</summary>
    private static void Boxed(NpgsqlBinaryImporter importer, EntityColumns columns, object row, int i)
    {
        if (columns.ValueOf(row, i) is { } value)
        {
            importer.Write(value);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
