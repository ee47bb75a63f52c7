using System.Text.RegularExpressions;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The page's words for the service's problems (the <c>problem</c> and <c>reviewProblem</c> maps of app.js, and the types it
/// tells apart by <c>slugOf</c>) are keyed by problem types the service produces (<see cref="ProblemTypes"/>): a type renamed on one side only
/// would leave the page showing the generic message, or none of its own handling, without any test noticing.
/// </summary>
public sealed partial class PageProblemTypesTests
{
    private static string Page() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot", "app.js"));

    private static readonly HashSet<string> Produced = [.. ProblemTypes.All.Select(t => t.Slug)];

    /// <summary>The text of each <c>problem: { … }</c> and <c>reviewProblem: { … }</c> object literal of <paramref name="page"/>, braces inside its strings skipped.</summary>
    internal static List<string> ProblemMaps(string page)
    {
        var maps = new List<string>();
        foreach (Match m in ProblemMap().Matches(page))
        {
            var (depth, i) = (1, m.Index + m.Length);
            for (; depth > 0; i++)
                switch (page[i])
                {
                    case '\'' or '"' or '`':
                        var quote = page[i];
                        for (i++; page[i] != quote; i++) if (page[i] == '\\') i++;
                        break;
                    case '{': depth++; break;
                    case '}': depth--; break;
                }
            maps.Add(page[(m.Index + m.Length)..(i - 1)]);
        }
        return maps;
    }

    /// <summary>The keys of one object literal's text at its top level ('a-b': or a:), its values' strings and nesting skipped.</summary>
    internal static List<string> Keys(string map)
    {
        var (keys, depth, expectKey) = (new List<string>(), 0, true);
        for (var i = 0; i < map.Length; i++)
        {
            var c = map[i];
            if (c is '\'' or '"' or '`')
            {
                var start = i;
                for (i++; map[i] != c; i++) if (map[i] == '\\') i++;
                if (depth == 0 && expectKey) { keys.Add(map[(start + 1)..i]); expectKey = false; }
            }
            else if (c is '{' or '(' or '[') depth++;
            else if (c is '}' or ')' or ']') depth--;
            else if (depth == 0 && c == ',') expectKey = true;
            else if (depth == 0 && expectKey && (char.IsAsciiLetter(c) || c == '_'))
            {
                var start = i;
                while (i + 1 < map.Length && (char.IsAsciiLetterOrDigit(map[i + 1]) || map[i + 1] == '_')) i++;
                keys.Add(map[start..(i + 1)]);
                expectKey = false;
            }
        }
        return keys;
    }

    [Fact]
    public void Every_Key_Of_The_Pages_Problem_Messages_Is_A_Type_The_Service_Produces()
    {
        var maps = ProblemMaps(Page());
        Assert.Equal(4, maps.Count); // problem and reviewProblem, in zh and en
        var keys = maps.SelectMany(Keys).ToList();
        Assert.Contains("period-closed", keys);
        Assert.Contains("review-conflict", keys);
        Assert.All(keys, key => Assert.True(Produced.Contains(key), $"app.js has a message for the problem type '{key}', which the service does not produce (ProblemTypes)."));
    }

    [Fact]
    public void Every_Problem_Type_The_Page_Tells_Apart_Is_One_The_Service_Produces()
    {
        var page = Page();
        var compared = Compared().Matches(page).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("revision-conflict", compared);
        Assert.All(compared, slug => Assert.True(Produced.Contains(slug), $"app.js compares a problem's type with '{slug}', which the service does not produce (ProblemTypes)."));
    }

    [Fact]
    public void A_Stale_Key_Is_Found()
    {
        // The check itself: a map with a type the service does not produce (period-locked for period-closed) is caught.
        var keys = ProblemMaps("const x = { problem: { 'period-locked': '已锁定 {period}, see: below', forbidden: `无权限 ${'}'}`, 'not-found': r => f(r, { a: 1 }) }, other: 1 };").SelectMany(Keys).ToList();
        Assert.Equal(["period-locked", "forbidden", "not-found"], keys);
        Assert.DoesNotContain("period-locked", Produced);
    }

    [GeneratedRegex(@"\b(?:problem|reviewProblem): \{")]
    private static partial Regex ProblemMap();

    [GeneratedRegex(@"slugOf\([^)]*\) [!=]== '([a-z][a-z0-9-]*)'")]
    private static partial Regex Compared();
}
