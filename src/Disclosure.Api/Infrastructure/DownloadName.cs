using System.Text;
using Microsoft.Net.Http.Headers;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The name a download is saved under, without its extension. <paramref name="Name"/> is in Chinese, as the office and the
/// towns tell their files apart in a folder (<c>2014年度政府信息公开工作情况统计表-阴平镇</c>), sent as RFC 6266's
/// <c>filename*</c> (UTF-8, RFC 5987); <paramref name="Ascii"/>, of the ids, is its <c>filename</c> for a client that reads no
/// other (<c>curl -OJ</c> saves under it).
/// </summary>
public sealed record DownloadName(string Name, string Ascii)
{
    /// <summary>The longest name kept, well inside the 255 characters Windows takes for a file name with its extension.</summary>
    internal const int MaxLength = 120;

    /// <summary>The <c>Content-Disposition</c> of the file with <paramref name="extension"/>: an attachment with both names.</summary>
    public string Disposition(string extension) =>
        new ContentDispositionHeaderValue("attachment") { FileName = $"{Ascii}.{extension}", FileNameStar = $"{Safe(Name)}.{extension}" }.ToString();

    /// <summary>
    /// What a table is narrowed to, in its ASCII name, after the name of the whole (<c>gov-info-disclosure-2014-2016</c>): the
    /// <paramref name="kind"/> as a query gives it (<c>-town</c>), then the <paramref name="reporters"/> by their ids when few
    /// (<c>-a-town-b-town</c>), else by their number (<c>-12-reporters</c>); empty for the whole. Without it a subset would be
    /// saved under (or over) the whole's file by a client that reads <c>filename</c> alone.
    /// </summary>
    internal static string Narrowed(Disclosure.Storage.ReporterKind? kind, IReadOnlyList<string>? reporters)
    {
        var said = kind is { } k ? "-" + System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(k.ToString()) : "";
        if (reporters is not { Count: > 0 }) return said;
        // A few ids name the file as well as the Chinese names do; more would outgrow a file name, and are counted.
        var ids = string.Join("-", reporters);
        return said + (reporters.Count <= MaxIds && ids.Length <= MaxIdsLength ? "-" + ids : $"-{reporters.Count}-reporters");
    }

    /// <summary>The most reporters <see cref="Narrowed"/> names by id, and the most characters their ids take together (one id's longest).</summary>
    internal const int MaxIds = 3, MaxIdsLength = 64;

    /// <summary>Sends the file as an attachment under this name.</summary>
    public void Attach(HttpContext context, string extension) => context.Response.Headers.ContentDisposition = Disposition(extension);

    /// <summary>
    /// The name of <paramref name="parts"/> (those not null) joined by <c>-</c>, each as <see cref="Safe"/> writes it. Too long
    /// for <see cref="MaxLength"/>, the longest is shortened, ending in <c>…</c>: a reporter's name, which may be of 200
    /// characters, and not the words after it (<c>-填报模板</c>, <c>-发布版</c>), which tell its template, its table and its
    /// 发布版 apart in a folder, nor the heading before it.
    /// </summary>
    public static DownloadName Of(string ascii, params string?[] parts)
    {
        var safe = parts.OfType<string>().Select(Clean).ToList();
        for (var over = safe.Sum(p => p.Length) + safe.Count - 1 - MaxLength; over > 0 && safe.Count > 0;)
        {
            var longest = safe.IndexOf(safe.MaxBy(p => p.Length)!);
            var keep = safe[longest].Length - over - 1;
            if (keep < 1) break;
            if (char.IsHighSurrogate(safe[longest][keep - 1])) keep--;
            safe[longest] = safe[longest][..keep] + "…";
            over = safe.Sum(p => p.Length) + safe.Count - 1 - MaxLength;
        }
        return new(string.Join("-", safe), ascii);
    }

    /// <summary>
    /// <paramref name="name"/> as Windows (and so Excel and WPS) takes a file name: the characters it forbids (<c>\ / : * ? " &lt; &gt; |</c>),
    /// which a reporter's name may hold (发改局/物价局), as their full-width forms, which read the same; control characters
    /// and white space as a space; no dot or space at its end; cut to <see cref="MaxLength"/>, never inside a surrogate pair.
    /// </summary>
    internal static string Safe(string name)
    {
        var safe = new StringBuilder(Clean(name));
        var cut = safe.Length > MaxLength ? safe.ToString(0, char.IsHighSurrogate(safe[MaxLength - 1]) ? MaxLength - 1 : MaxLength) : safe.ToString();
        return cut.TrimEnd('.', ' ') is { Length: > 0 } kept ? kept : "下载";
    }

    /// <summary><paramref name="name"/> with the characters Windows forbids written full-width, and control characters and white space as a space.</summary>
    private static string Clean(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
            safe.Append(c switch
            {
                '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' => (char)(c + 0xFEE0),
                _ when char.IsControl(c) || char.IsWhiteSpace(c) => ' ',
                _ => c,
            });
        return safe.ToString();
    }
}
