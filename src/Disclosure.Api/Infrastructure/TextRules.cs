using FluentValidation;

namespace Disclosure.Api.Infrastructure;

public static class TextRules
{
    /// <summary>
    /// Null, or one line of 1 to <paramref name="max"/> characters once trimmed, without control characters or invisible format
    /// characters: text a person types once and others read in lists and logs (a reporter's contact, a key's label).
    /// </summary>
    public static IRuleBuilderOptions<T, string?> OneLineOrNull<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(text => text is null || (text.Trim().Length is var length && length >= 1 && length <= max && Disclosure.Catalogue.PrintableText.IsPrintable(text)));
}
