namespace CivicGrid.Infrastructure.Errors;

/// <summary>What kind of expected failure an <see cref="Error"/> is; decides the HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The input broke a rule of its own shape: 400 with field errors.</summary>
    Validation,
    /// <summary>The object does not exist, or the caller may not know it exists: 404.</summary>
    NotFound,
    /// <summary>The state of the system forbids the change (duplicate, illegal transition, concurrency): 409.</summary>
    Conflict,
    /// <summary>The caller could not be authenticated (wrong credentials, locked out, bad token): 401.</summary>
    Unauthenticated,
    /// <summary>The caller is known but lacks the capability: 403.</summary>
    Forbidden,
}

/// <summary>
/// An expected failure as a value. Every error carries a stable machine-readable <see cref="Code"/>
/// (<c>geo.division_exists</c>) that clients and tests rely on; <see cref="Message"/> is for people.
/// </summary>
public sealed record Error(string Code, string Message, ErrorKind Kind, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    /// <summary>A 404 error.</summary>
    public static Error NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);

    /// <summary>A 409 error.</summary>
    public static Error Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);

    /// <summary>A 401 error.</summary>
    public static Error Unauthenticated(string code, string message) => new(code, message, ErrorKind.Unauthenticated);

    /// <summary>A 403 error.</summary>
    public static Error Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);

    /// <summary>A 400 error with the offending fields.</summary>
    public static Error Validation(string code, string message, IReadOnlyDictionary<string, string[]> fields) =>
        new(code, message, ErrorKind.Validation, fields);
}

/// <summary>The outcome of a use case: a value or an <see cref="Error"/>.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, when the use case failed.</summary>
    public Error? Error { get; }

    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws when the result is an error.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result is an error: {Error.Code}");

    /// <summary>Wraps a value.</summary>
    public static Result<T> Success(T value) => new(value, null);

    /// <summary>Wraps an error.</summary>
    public static Result<T> Failure(Error error) => new(default, error);

#pragma warning disable CA2225 // the named factories above are the alternates
    /// <summary>Lets a use case return a value directly.</summary>
    public static implicit operator Result<T>(T value) => Success(value);

    /// <summary>Lets a use case return an error directly.</summary>
    public static implicit operator Result<T>(Error error) => Failure(error);
#pragma warning restore CA2225
}
