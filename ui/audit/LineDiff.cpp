#include "audit/LineDiff.h"

#include <QHash>

#include <algorithm>
#include <cstdint>

namespace flywheel::ui {

QStringList LineDiff::splitLines(const QString &text)
{
    if (text.isEmpty())
        return {};
    QStringList lines = text.split(u'\n');
    if (lines.last().isEmpty())
        lines.removeLast(); // the final newline ends the last line
    for (QString &line : lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    return lines;
}

LineDiff::Result LineDiff::compare(const QString &before, const QString &after, qint64 maxCells)
{
    return compare(splitLines(before), splitLines(after), maxCells);
}

LineDiff::Result LineDiff::compare(const QStringList &before, const QStringList &after, qint64 maxCells)
{
    Result result;
    const qsizetype n = before.size();
    const qsizetype m = after.size();
    qsizetype head = 0;
    while (head < n && head < m && before[head] == after[head])
        ++head;
    qsizetype tail = 0;
    while (tail < n - head && tail < m - head && before[n - 1 - tail] == after[m - 1 - tail])
        ++tail;

    result.lines.reserve(static_cast<std::size_t>(std::max(n, m) + 1));
    for (qsizetype i = 0; i < head; ++i)
        result.lines.push_back({Kind::Same, before[i], 0});

    // The middle: before[head, n - tail) against after[head, m - tail).
    const qsizetype rows = n - head - tail;
    const qsizetype cols = m - head - tail;
    const auto removed = [&](qsizetype i) {
        result.lines.push_back({Kind::Removed, before[head + i], 0});
        ++result.removed;
    };
    const auto added = [&](qsizetype j) {
        result.lines.push_back({Kind::Added, after[head + j], 0});
        ++result.added;
    };
    if (rows > 0 && cols > 0 && static_cast<qint64>(rows) * cols <= maxCells) {
        // Lines as numbers, so that the table compares integers.
        QHash<QString, int> ids;
        std::vector<int> a(static_cast<std::size_t>(rows));
        std::vector<int> b(static_cast<std::size_t>(cols));
        for (qsizetype i = 0; i < rows; ++i) {
            auto found = ids.constFind(before[head + i]);
            if (found == ids.constEnd())
                found = ids.insert(before[head + i], static_cast<int>(ids.size()));
            a[static_cast<std::size_t>(i)] = found.value();
        }
        for (qsizetype j = 0; j < cols; ++j) {
            const auto found = ids.constFind(after[head + j]);
            b[static_cast<std::size_t>(j)] = found == ids.constEnd() ? -1 : found.value();
        }
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        const auto width = static_cast<std::size_t>(cols + 1);
        std::vector<std::uint32_t> lcs(static_cast<std::size_t>(rows + 1) * width, 0);
        for (qsizetype i = rows - 1; i >= 0; --i) {
            for (qsizetype j = cols - 1; j >= 0; --j) {
                const auto at = static_cast<std::size_t>(i) * width + static_cast<std::size_t>(j);
                lcs[at] = a[static_cast<std::size_t>(i)] == b[static_cast<std::size_t>(j)]
                              ? lcs[at + width + 1] + 1
                              : std::max(lcs[at + width], lcs[at + 1]);
            }
        }
        qsizetype i = 0;
        qsizetype j = 0;
        while (i < rows && j < cols) {
            const auto at = static_cast<std::size_t>(i) * width + static_cast<std::size_t>(j);
            if (a[static_cast<std::size_t>(i)] == b[static_cast<std::size_t>(j)]) {
                result.lines.push_back({Kind::Same, before[head + i], 0});
                ++i;
                ++j;
            } else if (lcs[at + width] >= lcs[at + 1]) {
                removed(i++); // removals first, then additions, as people read a change
            } else {
                added(j++);
            }
        }
        while (i < rows)
            removed(i++);
        while (j < cols)
            added(j++);
    } else {
        result.approximate = rows > 0 && cols > 0;
        for (qsizetype i = 0; i < rows; ++i)
            removed(i);
        for (qsizetype j = 0; j < cols; ++j)
            added(j);
    }

    for (qsizetype i = n - tail; i < n; ++i)
        result.lines.push_back({Kind::Same, before[i], 0});
    return result;
}

std::vector<LineDiff::Line> LineDiff::collapse(const std::vector<Line> &lines, int context)
{
    const auto count = static_cast<qsizetype>(lines.size());
    // Distance of each line to the nearest change, in lines (count when there is none).
    std::vector<qsizetype> distance(lines.size(), count);
    qsizetype last = -1;
    for (qsizetype i = 0; i < count; ++i) {
        if (lines[static_cast<std::size_t>(i)].kind != Kind::Same)
            last = i;
        if (last >= 0)
            distance[static_cast<std::size_t>(i)] = i - last;
    }
    last = -1;
    for (qsizetype i = count - 1; i >= 0; --i) {
        if (lines[static_cast<std::size_t>(i)].kind != Kind::Same)
            last = i;
        if (last >= 0)
            distance[static_cast<std::size_t>(i)] = std::min(distance[static_cast<std::size_t>(i)], last - i);
    }
    if (std::all_of(distance.begin(), distance.end(), [count](qsizetype d) { return d == count; }))
        return lines; // nothing changed: show it all

    std::vector<Line> shown;
    int skipped = 0;
    for (qsizetype i = 0; i < count; ++i) {
        if (distance[static_cast<std::size_t>(i)] > context) {
            ++skipped;
            continue;
        }
        if (skipped > 0) {
            shown.push_back({Kind::Skipped, QString(), skipped});
            skipped = 0;
        }
        shown.push_back(lines[static_cast<std::size_t>(i)]);
    }
    if (skipped > 0)
        shown.push_back({Kind::Skipped, QString(), skipped});
    return shown;
}

} // namespace flywheel::ui
