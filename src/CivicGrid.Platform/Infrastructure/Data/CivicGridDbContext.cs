using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// The one EF Core model of the platform. Each module adds its tables through
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in its own folder; modules never
/// read each other's tables (an architecture test keeps it so). Tables declared
/// <see cref="DataScopeModelExtensions.ScopedBy{T}"/> get a global query filter to the caller's
/// jurisdiction (<see cref="IDataScope"/>); system code that must see everything says so with
/// <c>IgnoreQueryFilters()</c>. Contexts are pooled (docs/adr/0019): the request's scope is set
/// on each one rented (<see cref="DatabaseSetup"/>) and cleared when it goes back.
/// </summary>
public sealed class CivicGridDbContext(DbContextOptions<CivicGridDbContext> options) : DbContext(options)
{
    /// <summary>More roots than this are refused when a role is assigned; unused slots never match.</summary>
    public const int MaxScopeRoots = 4;

    // Above every code (codes are digits): an empty range [~, ~) fills the unused root slots.
    private const string NoRoot = "~";

    private IDataScope _scope = SystemDataScope.Instance;

    /// <summary>Whose jurisdiction the query filters apply; the system's (everything) unless set.</summary>
    public IDataScope Scope
    {
        get => _scope;
        internal set => _scope = value ?? SystemDataScope.Instance;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        // Back to the pool: the next renter sets his own scope; none is left behind meanwhile.
        _scope = SystemDataScope.Instance;
        base.Dispose();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _scope = SystemDataScope.Instance;
        return base.DisposeAsync();
    }

    // Read by the query filters: EF Core turns these into parameters of every query. Each root is a
    // half-open range of codes [lo, hi): the codes that start with the root's digits are exactly
    // those from the root up to the root "plus one" (150203001 → 150203002). A range is what a
    // B-tree index answers in every collation, where LIKE 'prefix%' needs the C collation.
    private bool ScopeAll => _scope.Unrestricted;

    private string ScopeLo0 => Bound(0, upper: false);

    private string ScopeHi0 => Bound(0, upper: true);

    private string ScopeLo1 => Bound(1, upper: false);

    private string ScopeHi1 => Bound(1, upper: true);

    private string ScopeLo2 => Bound(2, upper: false);

    private string ScopeHi2 => Bound(2, upper: true);

    private string ScopeLo3 => Bound(3, upper: false);

    private string ScopeHi3 => Bound(3, upper: true);

    private List<string> ScopeAncestors => [.. _scope.Ancestors];

    private string Bound(int i, bool upper)
    {
        var roots = _scope.Roots;
        if (roots.Count > MaxScopeRoots)
        {
            throw new InvalidOperationException($"A caller may hold at most {MaxScopeRoots} jurisdictions.");
        }
        if (i >= roots.Count)
        {
            return NoRoot;
        }
        return upper ? UpperBound(roots[i]) : roots[i];
    }

    /// <summary>
    /// Whether a row of a scoped entity with <paramref name="code"/> passes this context's jurisdiction
    /// filter: the filter's own ranges, compared here. For rows read once for several callers
    /// (<see cref="EntityFrameworkQueryableExtensions.IgnoreQueryFilters{TEntity}(IQueryable{TEntity})"/>)
    /// and handed to each only if his filter would have let them through. Codes are digit strings,
    /// so ordinal order is the database's order.
    /// </summary>
    public bool InScope(string? code)
    {
        if (ScopeAll)
        {
            return true;
        }
        if (code is null)
        {
            return false;
        }
        for (var i = 0; i < MaxScopeRoots; i++)
        {
            if (string.CompareOrdinal(code, Bound(i, upper: false)) >= 0 && string.CompareOrdinal(code, Bound(i, upper: true)) < 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The smallest digit string above every code that starts with <paramref name="root"/>.</summary>
    internal static string UpperBound(string root)
    {
        var digits = root.ToCharArray();
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (digits[i] < '9')
            {
                digits[i]++;
                return new string(digits, 0, i + 1);
            }
        }
        // All nines: nothing of digits sorts above it but longer nines; ':' follows '9' in ASCII.
        return root + ":";
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CivicGridDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().ToList())
        {
            if (entity.FindAnnotation(ScopeRule.Annotation)?.Value is string rule)
            {
                var parts = rule.Split('|');
                entity.SetQueryFilter(ScopeFilter(entity.ClrType, parts[0], bool.Parse(parts[1])));
                // A marker for this method only: keep it out of the migrations' model snapshot.
                entity.RemoveAnnotation(ScopeRule.Annotation);
            }
        }
    }

    /// <summary><c>e => ScopeAll || (code &gt;= ScopeLo0 &amp;&amp; code &lt; ScopeHi0) || … [|| ScopeAncestors.Contains(code)]</c>.</summary>
    private LambdaExpression ScopeFilter(Type clrType, string property, bool ancestorsVisible)
    {
        var e = Expression.Parameter(clrType, "e");
        var code = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(string)], e, Expression.Constant(property));
        var self = Expression.Constant(this);
        Expression Member(string name) => Expression.Property(self,
            typeof(CivicGridDbContext).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic)!);
        var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
        var zero = Expression.Constant(0);

        Expression body = Member(nameof(ScopeAll));
        for (var i = 0; i < MaxScopeRoots; i++)
        {
            body = Expression.OrElse(body, Expression.AndAlso(
                Expression.GreaterThanOrEqual(Expression.Call(compare, code, Member($"ScopeLo{i}")), zero),
                Expression.LessThan(Expression.Call(compare, code, Member($"ScopeHi{i}")), zero)));
        }
        if (ancestorsVisible)
        {
            body = Expression.OrElse(body, Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)],
                Member(nameof(ScopeAncestors)), code));
        }
        return Expression.Lambda(body, e);
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset text; instants are UTC, so store
            // them as orderable 64-bit numbers. PostgreSQL keeps timestamptz.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
