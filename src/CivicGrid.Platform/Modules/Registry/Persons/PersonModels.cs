using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>
/// A person as the API shows him to someone who may not see his numbers: document number and
/// phone masked, and the age instead of the birth date (the birth date and the masked number's
/// ends together would give the number away).
/// </summary>
internal sealed record PersonView(
    Guid Id, string Name, DocumentType DocumentType, string? IdNumber, Sex Sex, int? Age, string? Ethnicity,
    string? EthnicityName, HouseholdType HouseholdType, string? Phone, string? Address, string GridCode,
    IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>
/// The body of <c>POST /persons</c> and <c>PUT /persons/{id}</c> (a PUT replaces every field).
/// <c>idNumber</c> is the document's number for any <c>documentType</c>; for an ID card, birth
/// date and sex are derived from it and, when given, must agree.
/// </summary>
internal sealed record PersonInput(
    string? Name, DocumentType? DocumentType, string? IdNumber, Sex? Sex, DateOnly? BirthDate, string? Ethnicity,
    HouseholdType? HouseholdType, string? Phone, string? Address, string? GridCode, IReadOnlyList<string>? Tags);

/// <summary>The body of <c>POST /persons/{id}/unmask</c>: <c>idNumber</c> or <c>phone</c>, and why.</summary>
internal sealed record PersonUnmaskRequest(string? Field, string? Reason);

/// <summary>A clear value handed out once, after the look was audited.</summary>
internal sealed record PersonUnmasked(string Field, string Value);
