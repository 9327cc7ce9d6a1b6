#include "audit/DiffModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QFontDatabase>

namespace flywheel::ui {

int DiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

QString DiffModel::displayText(const LineDiff::Line &line)
{
    switch (line.kind) {
    case LineDiff::Kind::Removed:
        return QStringLiteral("− ") + line.text;
    case LineDiff::Kind::Added:
        return QStringLiteral("+ ") + line.text;
    case LineDiff::Kind::Skipped:
        return tr("  ⋯ %n unchanged line(s) not shown ⋯", nullptr, line.skipped);
    case LineDiff::Kind::Same:
        break;
    }
    return QStringLiteral("  ") + line.text;
}

QVariant DiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount())
        return {};
    const LineDiff::Line &line = m_lines[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(line);
    case KindRole:
        return static_cast<int>(line.kind);
    case Qt::BackgroundRole:
        if (line.kind == LineDiff::Kind::Removed)
            return QBrush(QColor(0xff, 0xeb, 0xe9));
        if (line.kind == LineDiff::Kind::Added)
            return QBrush(QColor(0xda, 0xfb, 0xe1));
        return {};
    case Qt::ForegroundRole:
        if (line.kind == LineDiff::Kind::Removed)
            return QBrush(QColor(0x82, 0x07, 0x1e));
        if (line.kind == LineDiff::Kind::Added)
            return QBrush(QColor(0x11, 0x63, 0x29));
        if (line.kind == LineDiff::Kind::Skipped)
            return QBrush(QColor(0x65, 0x6d, 0x76));
        return {};
    case Qt::FontRole: {
        QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        font.setItalic(line.kind == LineDiff::Kind::Skipped);
        return font;
    }
    default:
        return {};
    }
}

void DiffModel::setLines(std::vector<LineDiff::Line> lines)
{
    beginResetModel();
    m_lines = std::move(lines);
    endResetModel();
}

} // namespace flywheel::ui
