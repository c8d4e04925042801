namespace CivicGrid.Modules.Registry.Special;

/// <summary>
/// A register entry as its readers see it; <see cref="Notes"/> only in the detail (one entry,
/// one audit record), never in lists.
/// </summary>
internal sealed record SpecialRegisterView(
    Guid Id, Guid PersonId, string PersonName, SpecialRegisterKind Kind, DateOnly StartDate, DateOnly? EndDate, RiskLevel RiskLevel,
    string? ResponsiblePerson, string? Notes, string GridCode, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt,
    string UpdatedBy);

/// <summary>The body of <c>POST /special-registers</c> and <c>PUT /special-registers/{id}</c> (a PUT replaces every field but the person).</summary>
internal sealed record SpecialRegisterInput(
    Guid? PersonId, SpecialRegisterKind? Kind, DateOnly? StartDate, DateOnly? EndDate, RiskLevel? RiskLevel, string? ResponsiblePerson,
    string? Notes);
