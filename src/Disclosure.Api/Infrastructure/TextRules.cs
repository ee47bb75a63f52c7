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

    /// <summary>
    /// Null, or up to <paramref name="max"/> characters that may break into lines (line breaks of any kind .NET reads as one,
    /// U+2028 and U+2029 included, and tabs) but hold no other
    /// control characters nor invisible format characters: what a person writes for another to read (a review's reason, a
    /// reporter's note). Characters are counted as people (and JSON Schema's maxLength) count them: 😀 is one, not two UTF-16
    /// units. The message given after it is the second rule's.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> ParagraphOrNull<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(text => text is null || text.EnumerateRunes().Count() <= max)
            .WithMessage((_, text) => $"{{PropertyName}} 最多 {max} 个字，现有 {text!.EnumerateRunes().Count()} 个：请删减。{{PropertyName}} may hold up to {max} characters; it has {text!.EnumerateRunes().Count()}.")
            .Must(text => text is null || Disclosure.Catalogue.PrintableText.IsPrintable(text.ReplaceLineEndings(" ").Replace('\t', ' ')));

    /// <summary>Text as it is kept: trimmed, and null when blank.</summary>
    public static string? TrimmedOrNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
