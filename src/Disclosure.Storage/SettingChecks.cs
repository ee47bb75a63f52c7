using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Disclosure.Storage;

/// <summary>
/// Options validation (<see cref="IValidateOptions{TOptions}"/>) that names the setting as it is configured, the value found and
/// what is allowed, in one line: a value out of range stops the start (with <c>ValidateOnStart</c>) instead of breaking later.
/// </summary>
public static class SettingChecks
{
    /// <summary>Requires the whole number <paramref name="value"/> reads, configured as <paramref name="key"/>, to lie in [min, max].</summary>
    public static OptionsBuilder<T> ValidateRange<T>(this OptionsBuilder<T> options, string key, Func<T, int> value, int min, int max = int.MaxValue,
        string? note = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var allowed = $"a whole number {(max == int.MaxValue ? $"{min} or more" : $"from {min} to {max}")}{(note is null ? "" : $" ({note})")}";
        options.Services.AddSingleton(new SettingRule(key, allowed));
        return options.ValidateWith(o => value(o) is var v && (v < min || v > max)
            ? $"{key} is {v.ToString(CultureInfo.InvariantCulture)}; it must be {allowed}."
            : null);
    }

    /// <summary>Adds a check that returns the failure's one line, or null when the options are fine.</summary>
    public static OptionsBuilder<T> ValidateWith<T>(this OptionsBuilder<T> options, Func<T, string?> failure) where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Services.AddSingleton<IValidateOptions<T>>(new Check<T>(options.Name, failure));
        return options;
    }

    private sealed class Check<T>(string? name, Func<T, string?> failure) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options) =>
            name is not null && name != optionsName ? ValidateOptionsResult.Skip
                : failure(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// What the setting <paramref name="Key"/> allows, as its check says it: the start's failure line adds it to the binder's own refusal
/// of a value that is no number at all, which names only the type.
/// </summary>
public sealed record SettingRule(string Key, string Allowed);
