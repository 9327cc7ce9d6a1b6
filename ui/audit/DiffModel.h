#pragma once

#include "audit/LineDiff.h"

#include <QAbstractListModel>

#include <vector>

namespace flywheel::ui {

/// The lines of a LineDiff, one row each, for a list view: "− " before a removed line
/// (red), "+ " before an added one (green), blank before an unchanged one, and the
/// unchanged lines left out named in grey.
class DiffModel final : public QAbstractListModel {
    Q_OBJECT

public:
    /// The line's LineDiff::Kind, as an int.
    static constexpr int KindRole = Qt::UserRole + 1;

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setLines(std::vector<LineDiff::Line> lines);
    const std::vector<LineDiff::Line> &lines() const { return m_lines; }
    /// The text shown for `line`.
    static QString displayText(const LineDiff::Line &line);

private:
    std::vector<LineDiff::Line> m_lines;
};

} // namespace flywheel::ui
